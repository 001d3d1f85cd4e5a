import { randomBytes } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { accessKeys } from "./keys";
import { type Page, type PageRequest, queryPage } from "./page-token";

/** Who did it: a role and its principal (`anonymous` for public routes). */
export interface Actor {
  readonly role: "operator" | "anm" | "participant" | "anonymous";
  readonly principalId: string;
}

/** One state change (reliability.md promise 6): who, what, when. Written once, never updated. */
export interface AuditEntry {
  /** The id of what changed: a participant id, an asset id, … */
  readonly subject: string;
  /** What happened, `<noun>.<verb>`: `participant.registered`, `asset.qualified`, … */
  readonly action: string;
  readonly actor: Actor;
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly from?: string;
  readonly to?: string;
  readonly reason?: string;
}

export interface AuditRecord extends AuditEntry {
  readonly recordId: string;
}

/**
 * The append-only audit log. Records are put with `attribute_not_exists(pk)`, so an existing
 * record is never overwritten, and nothing in the code updates or deletes one. Put a record in
 * the same transaction as the change it describes with `transactItem`, or on its own with
 * `append`.
 */
export class AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A Put for a TransactWriteItems request, with its condition. */
  transactItem(entry: AuditEntry) {
    const recordId = `aud-${randomBytes(10).toString("hex")}`;
    const record: AuditRecord = { recordId, ...entry };
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
    actor: { role: actor.role, principalId: actor.principalId },
    at,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}
