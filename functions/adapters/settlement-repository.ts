import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry } from "../core/access/audit";
import type { PlatformEvent } from "../core/events/platform-event";
import type { SettlementStore, StatementHead, StoredSettlementRun } from "../core/ports";
import type { SettlementLine } from "../core/settlement/lines";
import type { Statement } from "../core/settlement/settlement-run";
import type { AuditLog } from "./audit-log";
import { getAll } from "./batch-get";
import { releasePut, writeChange } from "./change-writer";
import type { ConditionalWrite } from "./conditional-writes";
import { cancellationCodes, isConditionFailure, transactWithRetry } from "./dynamo-errors";
import { postTradeKeys } from "./keys";
import { type LineCells, lineCells, lineOf } from "./post-trade-codec";
import { pages, putAll, queryAll, withoutKeys } from "./table-io";

/** Lines per stored page (well below the 400 KB item limit). */
const LINES_PER_PAGE = 300;
const iso = (ms: number) => new Date(ms).toISOString();

/** The outbox change of a run's statements (their `statement.issued` events). */
const statementsChangeId = (settlementRunId: string) => `settlement-run:${settlementRunId}`;

/**
 * Settlement runs and statements (R-SETTLE-7). A run is one item, mirrored in its month's
 * partition (so the month's runs are read consistently); the month's lock is the one-run-at-a-
 * time guarantee. Lines are staged under the run by day; statement versions are staged as heads
 * in their month's partition, lines in their statement's, each head with its audit record and
 * its `statement.issued` event in the run's outbox change (`writeChange`, events gated); they
 * count as issued once their run is completed (readers filter by run), which also releases the
 * change's events.
 */
export class SettlementRepository implements SettlementStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  async begin(run: StoredSettlementRun, audit: AuditEntry): Promise<{ holder?: string }> {
    const items: ConditionalWrite[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...postTradeKeys.monthLock(run.month), settlementRunId: run.settlementRunId },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...postTradeKeys.run(run.settlementRunId), run },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...postTradeKeys.runOfMonth(run.month, iso(run.startedAtMs), run.settlementRunId),
            settlementRunId: run.settlementRunId,
          },
        },
      },
      this.audit.transactItem(audit),
    ];
    try {
      await transactWithRetry(this.client, () =>
        this.client.send(new TransactWriteCommand({ TransactItems: items })),
      );
      return {};
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes?.includes("ConditionalCheckFailed")) throw error;
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: postTradeKeys.monthLock(run.month),
          ConsistentRead: true,
        }),
      );
      return { holder: String(Item?.settlementRunId ?? run.settlementRunId) };
    }
  }

  async get(settlementRunId: string): Promise<StoredSettlementRun | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: postTradeKeys.run(settlementRunId),
        ConsistentRead: true,
      }),
    );
    return Item ? (Item.run as StoredSettlementRun) : undefined;
  }

  async runsOfMonth(month: string): Promise<StoredSettlementRun[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :run)",
      ExpressionAttributeValues: { ":pk": postTradeKeys.monthPk(month), ":run": "RUN#" },
      ConsistentRead: true,
    });
    const runs = await getAll(
      this.client,
      this.tableName,
      items.map((i) => ({ ...postTradeKeys.run(String(i.settlementRunId)) })),
    );
    return runs
      .map((i) => i.run as StoredSettlementRun)
      .sort((a, b) => a.startedAtMs - b.startedAtMs);
  }

  async updateRunning(
    settlementRunId: string,
    patch: Partial<StoredSettlementRun>,
  ): Promise<boolean> {
    const names: Record<string, string> = { "#run": "run", "#status": "status" };
    const values: Record<string, unknown> = { ":running": "running" };
    const sets: string[] = [];
    Object.entries(patch).forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      // finishedAtMs is fixed once: the statements' issuedAt never moves on a retry.
      sets.push(
        field === "finishedAtMs"
          ? `#run.#f${i} = if_not_exists(#run.#f${i}, :v${i})`
          : `#run.#f${i} = :v${i}`,
      );
    });
    if (sets.length === 0) return true;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: postTradeKeys.run(settlementRunId),
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "#run.#status = :running",
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

  /** The day's pages, then its marker (the day is staged once the marker is there). */
  async putDayLines(
    settlementRunId: string,
    day: string,
    lines: ReadonlyArray<SettlementLine>,
  ): Promise<void> {
    const chunks = lines.length === 0 ? [] : pages(lines, LINES_PER_PAGE);
    await putAll(
      this.client,
      this.tableName,
      chunks.map((chunk, i) => ({
        ...postTradeKeys.dayLinesPage(settlementRunId, day, i),
        lines: chunk.map(lineCells),
      })),
    );
    await putAll(this.client, this.tableName, [
      { ...postTradeKeys.dayLinesMarker(settlementRunId, day), day, pages: chunks.length },
    ]);
  }

  async dayLines(settlementRunId: string): Promise<{ days: string[]; lines: SettlementLine[] }> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": postTradeKeys.runPk(settlementRunId) },
      ConsistentRead: true,
    });
    const markers = new Map(
      items
        .filter((i) => String(i.sk).startsWith("D#"))
        .map((i) => [String(i.day), Number(i.pages)]),
    );
    const lines: SettlementLine[] = [];
    for (const [day, count] of [...markers].sort(([a], [b]) => (a < b ? -1 : 1)))
      for (let p = 0; p < count; p += 1) {
        const { sk } = postTradeKeys.dayLinesPage(settlementRunId, day, p);
        const page = items.find((i) => i.sk === sk);
        if (!page) throw new Error(`settlement run ${settlementRunId}: page ${sk} is missing`);
        lines.push(...(page.lines as LineCells[]).map(lineOf));
      }
    return { days: [...markers.keys()], lines };
  }

  async headsOfMonth(month: string): Promise<StatementHead[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": postTradeKeys.statementsOfMonth(month) },
      ConsistentRead: true,
    });
    return items.map((i) => withoutKeys<StatementHead>(i));
  }

  async headsOf(statementId: string): Promise<StatementHead[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": postTradeKeys.statementPk(statementId) },
    });
    return items.map((i) => withoutKeys<StatementHead>(i));
  }

  async linesOf(
    head: Pick<StatementHead, "statementId" | "version" | "settlementRunId">,
  ): Promise<SettlementLine[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
      ExpressionAttributeValues: {
        ":pk": postTradeKeys.statementPk(head.statementId),
        ":p": postTradeKeys.statementLinesPrefix(head.version, head.settlementRunId),
      },
      ConsistentRead: true,
    });
    return items.flatMap((i) => (i.lines as LineCells[]).map(lineOf));
  }

  async stage(
    statements: ReadonlyArray<{ statement: Statement; linesHash: string }>,
    events: ReadonlyArray<PlatformEvent>,
    audits: ReadonlyArray<AuditEntry & { recordId: string }>,
  ): Promise<void> {
    await putAll(
      this.client,
      this.tableName,
      statements.flatMap(({ statement: s }) =>
        s.lines.length === 0
          ? []
          : pages(s.lines, LINES_PER_PAGE).map((chunk, i) => ({
              ...postTradeKeys.statementLinesPage(s.statementId, s.version, s.settlementRunId, i),
              lines: chunk.map(lineCells),
            })),
      ),
    );
    const eventOf = new Map(events.map((e) => [`${e.subject}#${e.version}`, e]));
    const auditOf = new Map(audits.map((a) => [`${a.subject}#${a.to}`, a]));
    const runId = statements[0]?.statement.settlementRunId;
    if (runId === undefined) return;
    // One change per run (R-NOTIFY-3): each head with its audit record (D-139) and its event in
    // one group; the events stay gated until CompleteRun writes the change's release.
    await writeChange(this.client, this.tableName, {
      changeId: statementsChangeId(runId),
      deferRelease: true,
      writes: statements.map(({ statement: s, linesHash }) => {
        const { lines, ...head } = s;
        const audit = auditOf.get(`${s.statementId}#v${s.version}`);
        return {
          group: `${s.statementId}#${s.version}`,
          write: {
            Put: {
              TableName: this.tableName,
              Item: {
                ...postTradeKeys.statementHead(
                  s.statementId,
                  s.month,
                  s.participantId,
                  s.version,
                  s.settlementRunId,
                ),
                ...head,
                lineCount: lines.length,
                linesHash,
              },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          ...(audit ? { companions: [this.audit.transactItem(audit)] } : {}),
        };
      }),
      events: statements.flatMap(({ statement: s }) => {
        const event = eventOf.get(`${s.statementId}#${s.version}`);
        return event ? [{ event, group: `${s.statementId}#${s.version}` }] : [];
      }),
    });
  }

  async end(
    settlementRunId: string,
    outcome:
      | { status: "completed"; finishedAtMs: number }
      | { status: "failed"; failure: { step: string; error: string; cause: string } },
    audit: AuditEntry & { recordId: string },
  ): Promise<boolean> {
    const run = await this.get(settlementRunId);
    if (run?.status !== "running") return false;
    const items: ConditionalWrite[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: postTradeKeys.run(settlementRunId),
          UpdateExpression:
            outcome.status === "completed"
              ? "SET #run.#status = :to, #run.finishedAtMs = if_not_exists(#run.finishedAtMs, :f)"
              : "SET #run.#status = :to, #run.failure = :f",
          ConditionExpression: "#run.#status = :running",
          ExpressionAttributeNames: { "#run": "run", "#status": "status" },
          ExpressionAttributeValues: {
            ":to": outcome.status,
            ":running": "running",
            ":f": outcome.status === "completed" ? outcome.finishedAtMs : outcome.failure,
          },
        },
      },
      {
        Delete: {
          TableName: this.tableName,
          Key: postTradeKeys.monthLock(run.month),
          ConditionExpression: "attribute_not_exists(pk) OR settlementRunId = :id",
          ExpressionAttributeValues: { ":id": settlementRunId },
        },
      },
      this.audit.transactItem(audit),
      // A completed run releases its statements' events (gated since IssueStatements).
      ...(outcome.status === "completed"
        ? [releasePut(this.tableName, statementsChangeId(settlementRunId))]
        : []),
    ];
    try {
      await transactWithRetry(this.client, () =>
        this.client.send(new TransactWriteCommand({ TransactItems: items })),
      );
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.includes("ConditionalCheckFailed")) return false;
      throw error;
    }
  }
}
