import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry } from "../core/access/audit";
import type { DayCurtailment } from "../core/curtailment-index/ledger";
import type { ActualsRecord } from "../core/performance/actuals";
import type { MeterDay, MeterUpload } from "../core/performance/meter-readings";
import type { Nomination } from "../core/performance/nominations";
import type {
  ActualsReceipt,
  ActualsStore,
  CurtailmentLedgerStore,
  MeterReadingStore,
  MeterUploadRecord,
  NominationStore,
  SchemeDay,
  StoredDayCurtailment,
  StoredMeterUpload,
  UploadSession,
  UploadSessionStore,
} from "../core/ports";
import type { AuditLog } from "./audit-log";
import { getAll } from "./batch-get";
import type { ConditionalWrite } from "./conditional-writes";
import { cancellationCodes, isConditionFailure, transactWithRetry } from "./dynamo-errors";
import { postTradeKeys } from "./keys";
import {
  type ActualsPart,
  actualsOf,
  actualsParts,
  curtailmentEntries,
  curtailmentOf,
} from "./post-trade-codec";
import { pages, putAll, queryAll } from "./table-io";

/**
 * The stores of the inputs after delivery (R-PERF-1..3) and of the Curtailment Index's
 * per-day contributions (R-CI-3). Every input write also adds 1 to its scheme-day's revision
 * (`PTDAY#…`/`STATE`), in the same transaction where it has one, so a contribution computed from
 * an older revision is known to be stale.
 */

const iso = (ms: number) => new Date(ms).toISOString();

/** The Update that moves a scheme-day's input revision on (in a transaction, or alone). */
export function revisionUpdate(tableName: string, day: SchemeDay): ConditionalWrite {
  return {
    Update: {
      TableName: tableName,
      Key: postTradeKeys.dayState(day.anmSchemeId, day.deliveryDate),
      UpdateExpression: "ADD rev :one SET anmSchemeId = :s, deliveryDate = :d",
      ExpressionAttributeValues: { ":one": 1, ":s": day.anmSchemeId, ":d": day.deliveryDate },
    },
  };
}

async function transact(client: DynamoDBDocumentClient, items: ConditionalWrite[]) {
  await transactWithRetry(client, () =>
    client.send(new TransactWriteCommand({ TransactItems: items })),
  );
}

export class ActualsRepository implements ActualsStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  async receipt(anmSchemeId: string, actualsId: string): Promise<ActualsReceipt | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: postTradeKeys.actualsClaim(anmSchemeId, actualsId),
        ConsistentRead: true,
      }),
    );
    return Item ? (Item.receipt as ActualsReceipt) : undefined;
  }

  async put(
    day: SchemeDay,
    record: ActualsRecord,
    audit: AuditEntry,
  ): Promise<ActualsReceipt | undefined> {
    const receipt: ActualsReceipt = {
      actualsId: record.actualsId,
      deliveryDate: day.deliveryDate,
      bodyHash: record.bodyHash,
      receivedAtMs: record.receivedAtMs,
      constraints: record.constraints.length,
      entries: record.available.length,
    };
    const parts = actualsParts(record);
    const items: ConditionalWrite[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...postTradeKeys.actualsClaim(day.anmSchemeId, record.actualsId), receipt },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      ...parts.map((part, i) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            ...postTradeKeys.actualsPart(
              day.anmSchemeId,
              day.deliveryDate,
              iso(record.receivedAtMs),
              record.actualsId,
              i,
            ),
            actualsId: record.actualsId,
            receivedAtMs: record.receivedAtMs,
            bodyHash: record.bodyHash,
            part,
          },
        },
      })),
      revisionUpdate(this.tableName, day),
      this.audit.transactItem(audit),
    ];
    try {
      await transact(this.client, items);
      return undefined;
    } catch (error) {
      if (cancellationCodes(error)?.[0] !== "ConditionalCheckFailed") throw error;
      return this.receipt(day.anmSchemeId, record.actualsId);
    }
  }

  async ofDay(day: SchemeDay): Promise<ActualsRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: {
        ":pk": postTradeKeys.actualsPk(day.anmSchemeId, day.deliveryDate),
      },
      ConsistentRead: true,
    });
    const posts = new Map<
      string,
      { head: { actualsId: string; receivedAtMs: number; bodyHash: string }; parts: ActualsPart[] }
    >();
    for (const item of items) {
      const key = `${item.receivedAtMs}#${item.actualsId}`;
      const post = posts.get(key) ?? {
        head: {
          actualsId: String(item.actualsId),
          receivedAtMs: Number(item.receivedAtMs),
          bodyHash: String(item.bodyHash),
        },
        parts: [],
      };
      post.parts.push(item.part as ActualsPart);
      posts.set(key, post);
    }
    return [...posts.values()].map((p) => actualsOf(p.head, p.parts));
  }
}

export class NominationRepository implements NominationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  async ofDay(day: SchemeDay): Promise<Nomination[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: {
        ":pk": postTradeKeys.nominationPk(day.anmSchemeId, day.deliveryDate),
      },
      ConsistentRead: true,
    });
    return items
      .filter((i) => String(i.sk).includes("#V#"))
      .map((i) => i.nomination as Nomination)
      .sort((a, b) => a.receivedAtMs - b.receivedAtMs || a.version - b.version);
  }

  async put(nomination: Nomination, audit: AuditEntry): Promise<boolean> {
    const { anmSchemeId, deliveryDate, entryId, version } = nomination;
    const pointer = postTradeKeys.nominationPointer(anmSchemeId, deliveryDate, entryId);
    try {
      await transact(this.client, [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...postTradeKeys.nomination(anmSchemeId, deliveryDate, entryId, version),
              nomination,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...pointer, version },
            ...(version === 1
              ? { ConditionExpression: "attribute_not_exists(pk)" }
              : {
                  ConditionExpression: "version = :previous",
                  ExpressionAttributeValues: { ":previous": version - 1 },
                }),
          },
        },
        revisionUpdate(this.tableName, { anmSchemeId, deliveryDate }),
        this.audit.transactItem(audit),
      ]);
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.includes("ConditionalCheckFailed")) return false;
      throw error;
    }
  }
}

/** Upload days per record page (the record lists each day of the upload with its count). */
const DAYS_PER_PAGE = 1000;

type DayItem = MeterDay & {
  uploadId: string;
  receivedAtMs: number;
  byOperator: boolean;
};

export class MeterReadingRepository implements MeterReadingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The days first (batch writes), then each touched scheme-day's revision, then the pages of
   * the record's day list, and last the record with its audit record in one conditional
   * transaction: until the record is stored the days do not count, and a re-run rewrites them.
   */
  async put(upload: StoredMeterUpload, audit: AuditEntry): Promise<"stored" | "exists"> {
    if (await this.head(upload.uploadId)) return "exists";
    await putAll(
      this.client,
      this.tableName,
      upload.days.map((d) => ({
        ...postTradeKeys.meterDay(
          d.anmSchemeId,
          d.deliveryDate,
          d.entryId,
          d.direction,
          upload.uploadId,
        ),
        ...d,
        uploadId: upload.uploadId,
        receivedAtMs: upload.receivedAtMs,
        byOperator: upload.byOperator,
      })),
    );
    const touched = new Map<string, SchemeDay>();
    for (const d of upload.days)
      touched.set(`${d.anmSchemeId}/${d.deliveryDate}`, {
        anmSchemeId: d.anmSchemeId,
        deliveryDate: d.deliveryDate,
      });
    for (const chunk of pages([...touched.values()], 100))
      if (chunk.length > 0)
        await transact(
          this.client,
          chunk.map((day) => revisionUpdate(this.tableName, day)),
        );
    const summaries = upload.days.map((d) => ({
      anmSchemeId: d.anmSchemeId,
      entryId: d.entryId,
      deliveryDate: d.deliveryDate,
      direction: d.direction,
      readings: d.valuesW.filter((w) => w !== null).length,
    }));
    const dayPages = pages(summaries, DAYS_PER_PAGE);
    if (dayPages.length > 1)
      await putAll(
        this.client,
        this.tableName,
        dayPages.map((days, i) => ({ ...postTradeKeys.uploadPage(upload.uploadId, i), days })),
      );
    const record = {
      uploadId: upload.uploadId,
      owner: upload.owner,
      receivedAtMs: upload.receivedAtMs,
      byOperator: upload.byOperator,
      readingCount: upload.readingCount,
      pages: dayPages.length,
      ...(dayPages.length === 1 ? { days: dayPages[0] } : {}),
    };
    try {
      await transact(this.client, [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...postTradeKeys.upload(upload.uploadId), record },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        this.audit.transactItem(audit),
      ]);
      return "stored";
    } catch (error) {
      if (cancellationCodes(error)?.[0] === "ConditionalCheckFailed") return "exists";
      throw error;
    }
  }

  private async head(uploadId: string) {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: postTradeKeys.upload(uploadId),
        ConsistentRead: true,
      }),
    );
    return Item;
  }

  async ofDay(day: SchemeDay): Promise<MeterUpload[]> {
    const items = await queryAll<DayItem>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: {
        ":pk": postTradeKeys.meterPk(day.anmSchemeId, day.deliveryDate),
      },
      ConsistentRead: true,
    });
    return this.committed(items);
  }

  async ofEntry(entryId: string, fromDate: string, toDate: string): Promise<MeterUpload[]> {
    const items = await queryAll<DayItem>(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": postTradeKeys.meterOfEntry(entryId),
        ":from": fromDate,
        ":to": `${toDate}#\uffff`,
      },
    });
    return this.committed(items);
  }

  /** Days of uploads whose record is stored, grouped into uploads (receive order). */
  private async committed(items: DayItem[]): Promise<MeterUpload[]> {
    const ids = [...new Set(items.map((i) => i.uploadId))];
    const heads = new Set(
      (
        await getAll(
          this.client,
          this.tableName,
          ids.map((id) => ({ ...postTradeKeys.upload(id) })),
        )
      ).map((h) => String((h.record as { uploadId: string }).uploadId)),
    );
    const uploads = new Map<string, MeterUpload>();
    for (const i of items) {
      if (!heads.has(i.uploadId)) continue;
      const u = uploads.get(i.uploadId) ?? {
        uploadId: i.uploadId,
        receivedAtMs: Number(i.receivedAtMs),
        byOperator: Boolean(i.byOperator),
        days: [],
      };
      u.days.push({
        anmSchemeId: i.anmSchemeId,
        entryId: i.entryId,
        deliveryDate: i.deliveryDate,
        direction: i.direction,
        valuesW: i.valuesW,
      });
      uploads.set(i.uploadId, u);
    }
    return [...uploads.values()].sort((a, b) => a.receivedAtMs - b.receivedAtMs);
  }

  async get(uploadId: string): Promise<MeterUploadRecord | undefined> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": postTradeKeys.uploadPk(uploadId) },
      ConsistentRead: true,
    });
    const head = items.find((i) => i.sk === "MUPLOAD");
    if (!head) return undefined;
    const {
      pages: _pages,
      days,
      ...record
    } = head.record as Omit<MeterUploadRecord, "days"> & {
      pages: number;
      days?: MeterUploadRecord["days"];
    };
    return {
      ...record,
      days:
        days ??
        items
          .filter((i) => i.sk !== "MUPLOAD")
          .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1))
          .flatMap((i) => i.days as MeterUploadRecord["days"]),
    };
  }
}

export class UploadSessionRepository implements UploadSessionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  async create(session: UploadSession, audit: AuditEntry): Promise<void> {
    await transact(this.client, [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...postTradeKeys.uploadSession(session.uploadId),
            session,
            // A session nobody used is removed a day after its URL expired (table TTL).
            expiration: Math.ceil(session.expiresAtMs / 1000) + 86_400,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      this.audit.transactItem(audit),
    ]);
  }

  async get(uploadId: string): Promise<UploadSession | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: postTradeKeys.uploadSession(uploadId),
        ConsistentRead: true,
      }),
    );
    return Item ? (Item.session as UploadSession) : undefined;
  }
}

export class CurtailmentLedgerRepository implements CurtailmentLedgerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async days(
    keys: ReadonlyArray<SchemeDay>,
  ): Promise<Map<string, { rev: number; stored?: StoredDayCurtailment }>> {
    const items = await getAll(
      this.client,
      this.tableName,
      keys.flatMap((k) => [
        { ...postTradeKeys.dayState(k.anmSchemeId, k.deliveryDate) },
        { ...postTradeKeys.dayCurtailment(k.anmSchemeId, k.deliveryDate) },
      ]),
    );
    const byPk = new Map<string, { rev: number; stored?: StoredDayCurtailment }>();
    const keyOf = new Map(
      keys.map((k) => [
        postTradeKeys.dayPk(k.anmSchemeId, k.deliveryDate),
        `${k.anmSchemeId}/${k.deliveryDate}`,
      ]),
    );
    for (const k of keys) byPk.set(`${k.anmSchemeId}/${k.deliveryDate}`, { rev: 0 });
    for (const item of items) {
      const held = byPk.get(keyOf.get(String(item.pk))!)!;
      if (item.sk === "STATE") held.rev = Number(item.rev ?? 0);
      else
        held.stored = {
          rev: Number(item.rev),
          day: curtailmentOf(
            {
              anmSchemeId: String(item.anmSchemeId),
              deliveryDate: String(item.deliveryDate),
              estimated: Boolean(item.estimated),
            },
            item.entries as Record<string, string[]>,
          ),
        };
    }
    return byPk;
  }

  async put({ rev, day }: { rev: number; day: DayCurtailment }): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...postTradeKeys.dayCurtailment(day.anmSchemeId, day.deliveryDate),
            rev,
            anmSchemeId: day.anmSchemeId,
            deliveryDate: day.deliveryDate,
            estimated: day.estimated,
            entries: curtailmentEntries(day),
          },
          ConditionExpression: "attribute_not_exists(pk) OR rev <= :rev",
          ExpressionAttributeValues: { ":rev": rev },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
