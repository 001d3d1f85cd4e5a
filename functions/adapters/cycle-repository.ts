import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { LookAheadBody } from "../core/model/look-ahead";
import { toUtcIso } from "../core/model/settlement-periods";
import type { Cycle, CycleStatus, CycleStore, LookAheadClaim } from "../core/ports";
import { isConditionFailure } from "./dynamo-errors";
import { CYCLE_PARTS, marketKeys } from "./keys";
import { pages, putAll, queryAll, withoutKeys } from "./table-io";

/** MOL entries per stored look-ahead chunk: far below the 400 KB item limit with 50 SPs. */
const ENTRIES_PER_CHUNK = 100;

/** Cycles, their look-aheads (stored by reference, in chunks) and the scheme-day pointer. */
export class CycleRepository implements CycleStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claimLookAhead(claim: {
    lookAheadId: string;
    bodyHash: string;
    cycleId: string;
    receivedAtMs: number;
  }): Promise<LookAheadClaim> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...marketKeys.lookAheadClaim(claim.lookAheadId), ...claim },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: marketKeys.lookAheadClaim(claim.lookAheadId),
          ConsistentRead: true,
        }),
      );
      return { created: false, bodyHash: String(Item?.bodyHash), cycleId: String(Item?.cycleId) };
    }
  }

  async saveLookAhead(cycleId: string, body: LookAheadBody): Promise<void> {
    const { constraints, mols, ...head } = body;
    const items: Record<string, unknown>[] = [
      {
        ...marketKeys.lookAheadHead(cycleId),
        head,
        constraintCount: constraints.length,
        molCount: mols.length,
      },
      ...constraints.map((constraint, n) => ({
        ...marketKeys.lookAheadConstraint(cycleId, n),
        constraint,
      })),
      ...mols.flatMap((mol, m) =>
        pages(mol.entries, ENTRIES_PER_CHUNK).map((entries, chunk) => ({
          ...marketKeys.lookAheadMolChunk(cycleId, m, chunk),
          constraintId: mol.constraintId,
          ...(mol.version === undefined ? {} : { version: mol.version }),
          entries,
        })),
      ),
    ];
    await putAll(this.client, this.tableName, items);
  }

  async loadLookAhead(cycleId: string): Promise<LookAheadBody | undefined> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :la)",
      ExpressionAttributeValues: {
        ":pk": marketKeys.cyclePk(cycleId),
        ":la": CYCLE_PARTS.lookAhead,
      },
      ConsistentRead: true,
    });
    const head = items.find((i) => i.sk === CYCLE_PARTS.lookAheadHead);
    if (!head) return undefined;
    const constraints = items
      .filter((i) => String(i.sk).startsWith(CYCLE_PARTS.lookAheadConstraint))
      .map((i) => i.constraint);
    const mols: LookAheadBody["mols"] = [];
    for (const chunk of items.filter((i) => String(i.sk).startsWith(CYCLE_PARTS.lookAheadMol))) {
      const index = Number(String(chunk.sk).split("#")[2]);
      const entries = chunk.entries as LookAheadBody["mols"][number]["entries"];
      if (mols[index]) mols[index]!.entries.push(...entries);
      else
        mols[index] = {
          constraintId: String(chunk.constraintId),
          ...(chunk.version === undefined ? {} : { version: Number(chunk.version) }),
          entries: [...entries],
        };
    }
    if (
      constraints.length !== head.constraintCount ||
      mols.filter(Boolean).length !== head.molCount
    )
      return undefined;
    return { ...(head.head as object), constraints, mols } as LookAheadBody;
  }

  async createCycle(cycle: Cycle): Promise<Cycle> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...marketKeys.cycle(cycle.cycleId),
            gsi1pk: marketKeys.cyclesByDate(cycle.deliveryDate),
            gsi1sk: `${toUtcIso(cycle.createdAtMs)}#${cycle.cycleId}`,
            ...cycle,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return cycle;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.getCycle(cycle.cycleId))!;
    }
  }

  async getCycle(cycleId: string): Promise<Cycle | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: marketKeys.cycle(cycleId),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<Cycle>(Item) : undefined;
  }

  async updateCycle(
    cycleId: string,
    patch: Partial<Cycle>,
    ifStatus?: CycleStatus[],
  ): Promise<boolean> {
    const fields = Object.entries(patch).filter(
      ([name, value]) => value !== undefined && name !== "cycleId",
    );
    if (fields.length === 0) return true;
    const names: Record<string, string> = { "#pk": "pk" };
    const values: Record<string, unknown> = {};
    fields.forEach(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:v${i}`] = value;
    });
    let condition = "attribute_exists(#pk)";
    if (ifStatus) {
      names["#status"] = "status";
      condition += ` AND #status IN (${ifStatus.map((_, i) => `:s${i}`).join(", ")})`;
      ifStatus.forEach((s, i) => {
        values[`:s${i}`] = s;
      });
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: marketKeys.cycle(cycleId),
          UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(", ")}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listCycles(deliveryDate: string): Promise<Cycle[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": marketKeys.cyclesByDate(deliveryDate) },
    });
    return items.map((i) => withoutKeys<Cycle>(i));
  }

  async currentCycle(anmSchemeId: string, deliveryDate: string) {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: marketKeys.schemeDay(anmSchemeId, deliveryDate),
        ConsistentRead: true,
      }),
    );
    return Item
      ? { cycleId: String(Item.cycleId), gateClosureMs: Number(Item.gateClosureMs) }
      : undefined;
  }

  async switchCurrent(
    anmSchemeId: string,
    deliveryDate: string,
    next: { cycleId: string; gateClosureMs: number },
    expected: string | undefined,
    receivedAtMs: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...marketKeys.schemeDay(anmSchemeId, deliveryDate), ...next },
          // R-IN-3: replace only the cycle we read, and only before its gate closure.
          ConditionExpression:
            expected === undefined
              ? "attribute_not_exists(pk)"
              : "cycleId = :expected AND gateClosureMs > :received",
          ...(expected === undefined
            ? {}
            : { ExpressionAttributeValues: { ":expected": expected, ":received": receivedAtMs } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
