import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry, AuditRecord } from "../core/access/audit";
import type { Page, PageRequest } from "../core/model/paging";
import type { AuditTrail, IdGenerator } from "../core/ports";
import { randomIds } from "./ids";
import { accessKeys } from "./keys";
import { queryPage } from "./page-token";

/**
 * The append-only audit log. Records are put with `attribute_not_exists(pk)`, so an existing
 * record is never overwritten, and nothing in the code updates or deletes one. Put a record in
 * the same transaction as the change it describes with `transactItem`, or on its own with
 * `append`.
 */
export class AuditLog implements AuditTrail {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ids: IdGenerator = randomIds,
  ) {}

  /**
   * A Put for a TransactWriteItems request, with its condition. A record with a given
   * `recordId` (derived from what it records) is written once however often its step re-runs.
   */
  transactItem(entry: AuditEntry & { recordId?: string }) {
    const { recordId = this.ids.newId("audit"), ...rest } = entry;
    const record: AuditRecord = { recordId, ...rest };
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...accessKeys.auditRecord(entry.subject, entry.at, recordId),
          type: "AuditRecord",
          ...record,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    const { Put } = this.transactItem(entry);
    await this.client.send(new PutCommand(Put));
    return toRecord(Put.Item);
  }

  /** One subject's records, oldest first; or every record when `subject` is undefined. */
  async list(subject: string | undefined, page: PageRequest = {}): Promise<Page<AuditRecord>> {
    const partition =
      subject === undefined
        ? { index: "gsi1", attribute: "gsi1pk", value: accessKeys.allAudit() }
        : { index: undefined, attribute: "pk", value: accessKeys.auditOfSubject(subject) };
    return queryPage(this.client, this.tableName, partition, page, toRecord);
  }
}

function toRecord(item: Record<string, unknown>): AuditRecord {
  const { recordId, subject, action, actor, at, from, to, reason } = item as unknown as AuditRecord;
  return {
    recordId,
    subject,
    action,
    actor: {
      role: actor.role,
      principalId: actor.principalId,
      ...(actor.keyId === undefined ? {} : { keyId: actor.keyId }),
    },
    at,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}
