import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry } from "../core/access/audit";
import type { LookAheadBody } from "../core/model/look-ahead";
import type { Page, PageRequest } from "../core/model/paging";
import { toUtcIso } from "../core/model/settlement-periods";
import type {
  BeginOutcome,
  Cycle,
  CycleFence,
  CycleStatus,
  CycleStore,
  CycleTransition,
  LookAheadClaim,
  Replaced,
} from "../core/ports";
import type { AuditLog } from "./audit-log";
import type { ConditionalWrite } from "./conditional-writes";
import { fenceCheck, whenFenced } from "./cycle-fence";
import { failedConditions, isConditionFailure, transactWithRetry } from "./dynamo-errors";
import { CYCLE_PARTS, marketKeys } from "./keys";
import { queryPage } from "./page-token";
import { pages, putAll, queryAll, withoutKeys } from "./table-io";

/** MOL entries per stored look-ahead chunk: far below the 400 KB item limit with 50 SPs. */
const ENTRIES_PER_CHUNK = 100;

/**
 * Cycles, their look-aheads (stored by reference, in chunks) and the scheme-day pointer. Every
 * change of a cycle's state is one transaction with its audit record (D-139), fenced on the
 * cycle being current (D-131).
 */
export class CycleRepository implements CycleStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
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

  async beginCycle(
    cycle: Cycle,
    replaced: Replaced | undefined,
    receivedAtMs: number,
    audit: readonly AuditEntry[],
  ): Promise<BeginOutcome> {
    const pointer: ConditionalWrite = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...marketKeys.schemeDay(cycle.anmSchemeId, cycle.deliveryDate),
          cycleId: cycle.cycleId,
          gateClosureMs: cycle.gateClosureMs,
          receivedAtMs: cycle.createdAtMs,
        },
        // R-IN-3: replace only the cycle read, and only before its gate closure.
        ConditionExpression:
          replaced === undefined
            ? "attribute_not_exists(pk) OR cycleId = :self"
            : "cycleId = :expected AND gateClosureMs > :received",
        ExpressionAttributeValues:
          replaced === undefined
            ? { ":self": cycle.cycleId }
            : { ":expected": replaced.cycleId, ":received": receivedAtMs },
      },
    };
    const born = cycle.status === "superseded";
    const items: ConditionalWrite[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.cycleItem(cycle),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      ...(born ? [] : [pointer]),
      ...(!born && replaced?.status
        ? [
            {
              Update: {
                TableName: this.tableName,
                Key: marketKeys.cycle(replaced.cycleId),
                UpdateExpression: "SET #status = :superseded, supersededBy = :by",
                ConditionExpression: "#status = :from",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: {
                  ":superseded": "superseded",
                  ":by": cycle.cycleId,
                  ":from": replaced.status,
                },
              },
            },
          ]
        : []),
      ...audit.map((entry) => this.audit.transactItem(entry)),
    ];
    try {
      await transactWithRetry(this.client, () =>
        this.client.send(new TransactWriteCommand({ TransactItems: items })),
      );
      return { outcome: "begun" };
    } catch (error) {
      const failed = failedConditions(error);
      if (!failed) throw error;
      if (failed.includes(0)) return { outcome: "exists" };
      return { outcome: "moved" };
    }
  }

  private cycleItem(cycle: Cycle): Record<string, unknown> {
    return {
      ...marketKeys.cycle(cycle.cycleId),
      gsi1pk: marketKeys.cyclesByDate(cycle.deliveryDate),
      gsi1sk: `${toUtcIso(cycle.createdAtMs)}#${cycle.cycleId}`,
      ...cycle,
    };
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

  async recordAttempt(
    cycleId: string,
    attempt: { attempt: number; executionArn: string },
    previous: number | undefined,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: marketKeys.cycle(cycleId),
          UpdateExpression: "SET attempt = :attempt, executionArn = :arn",
          ConditionExpression: `#status IN (:running, :open) AND (${
            previous === undefined ? "attribute_not_exists(attempt)" : "attempt = :previous"
          } OR (attempt = :attempt AND executionArn = :arn))`,
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":attempt": attempt.attempt,
            ":arn": attempt.executionArn,
            ":running": "running",
            ":open": "markets-open",
            ...(previous === undefined ? {} : { ":previous": previous }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async markStep(fence: CycleFence, step: string, audit: AuditEntry): Promise<void> {
    await this.annotate(fence, { step }, audit);
  }

  async annotate(fence: CycleFence, patch: Partial<Cycle>, audit?: AuditEntry): Promise<void> {
    const update = this.update(fence.cycleId, patch, undefined);
    if (!update) return;
    const items = [
      update,
      fenceCheck(this.tableName, fence),
      ...(audit ? [this.audit.transactItem(audit)] : []),
    ];
    await whenFenced(fence, 1, () =>
      transactWithRetry(this.client, () =>
        this.client.send(new TransactWriteCommand({ TransactItems: items })),
      ),
    );
  }

  async transition(fence: CycleFence, change: CycleTransition): Promise<boolean> {
    const update = this.update(fence.cycleId, { ...change.patch, status: change.to }, change.from);
    const items = [
      update!,
      fenceCheck(this.tableName, fence),
      this.audit.transactItem(change.audit),
    ];
    try {
      await whenFenced(fence, 1, () =>
        transactWithRetry(this.client, () =>
          this.client.send(new TransactWriteCommand({ TransactItems: items })),
        ),
      );
      return true;
    } catch (error) {
      if (failedConditions(error)?.includes(0)) return false;
      throw error;
    }
  }

  /** An Update of the cycle's fields, conditional on its status being one of `ifStatus`. */
  private update(
    cycleId: string,
    patch: Partial<Cycle>,
    ifStatus: readonly CycleStatus[] | undefined,
  ): ConditionalWrite | undefined {
    const fields = Object.entries(patch).filter(
      ([name, value]) => value !== undefined && name !== "cycleId",
    );
    if (fields.length === 0) return undefined;
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
    return {
      Update: {
        TableName: this.tableName,
        Key: marketKeys.cycle(cycleId),
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(", ")}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  async listCycles(
    deliveryDate: string,
    status: CycleStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Cycle>> {
    return queryPage(
      this.client,
      this.tableName,
      { index: "gsi1", attribute: "gsi1pk", value: marketKeys.cyclesByDate(deliveryDate) },
      page,
      (item) => withoutKeys<Cycle>(item),
      status === undefined
        ? undefined
        : {
            expression: "#status = :status",
            names: { "#status": "status" },
            values: { ":status": status },
          },
    );
  }

  async cyclesOfDay(deliveryDate: string): Promise<Cycle[]> {
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
      ? {
          cycleId: String(Item.cycleId),
          gateClosureMs: Number(Item.gateClosureMs),
          ...(Item.receivedAtMs === undefined ? {} : { receivedAtMs: Number(Item.receivedAtMs) }),
        }
      : undefined;
  }
}
