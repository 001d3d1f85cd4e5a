import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { Participant, ParticipantStatus } from "../core/access/participant";
import { DomainError } from "../core/errors";
import type { Page, PageRequest } from "../core/model/paging";
import type {
  KeyClaim,
  NewParticipant,
  OrderCancellation,
  ParticipantStore,
  StatusChange,
} from "../core/ports";
import type { AuditLog } from "./audit-log";
import { getAll } from "./batch-get";
import { failedConditions } from "./dynamo-errors";
import { accessKeys, keys } from "./keys";
import { queryPage } from "./page-token";
import { changeStatusCancelling } from "./status-change";
import { withoutKeys } from "./table-io";

/**
 * A participant as stored: the public record plus the claim secret's hash and when the key was
 * claimed. These two never leave this file ({@link toParticipant}).
 */
interface StoredParticipant extends Participant {
  claimSecretHash: string;
  apiKeyClaimedAt?: string;
}

/**
 * Participants (R-AUTH): registration, the operator's decisions, the one-time API key claim.
 * Every change is one transaction with its audit record, conditional on the status it read, so
 * concurrent decisions cannot both apply. Reads are strongly consistent.
 */
export class ParticipantRepository implements ParticipantStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  async register(input: NewParticipant): Promise<Participant> {
    const { participantId, registration, claimSecretHash, at, actor } = input;
    const stored: StoredParticipant = {
      participantId,
      status: "pending",
      organisation: registration.organisation,
      contact: registration.contact,
      apiKeyIssued: false,
      createdAt: at,
      updatedAt: at,
      claimSecretHash,
    };
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...accessKeys.participantItem(participantId, "pending", at),
                type: "Participant",
                ...stored,
              },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          this.audit.transactItem({
            subject: participantId,
            action: "participant.registered",
            actor,
            at,
            to: "pending",
          }),
        ],
      }),
    );
    return toParticipant(stored);
  }

  async get(participantId: string): Promise<Participant | undefined> {
    const stored = await this.getStored(participantId);
    return stored === undefined ? undefined : toParticipant(stored);
  }

  async getMany(participantIds: readonly string[]): Promise<Participant[]> {
    const keys = [...new Set(participantIds)].map(
      (id) => accessKeys.participant(id) as unknown as Record<string, unknown>,
    );
    return (await getAll(this.client, this.tableName, keys)).map(toParticipant);
  }

  async list(
    status: ParticipantStatus | undefined,
    page: PageRequest = {},
  ): Promise<Page<Participant>> {
    const partition =
      status === undefined
        ? { index: "gsi2", attribute: "gsi2pk", value: accessKeys.allParticipants() }
        : { index: "gsi1", attribute: "gsi1pk", value: accessKeys.participantsByStatus(status) };
    return queryPage(this.client, this.tableName, partition, page, toParticipant);
  }

  async claimState(
    participantId: string,
  ): Promise<{ participant: Participant; claimSecretHash: string } | undefined> {
    const stored = await this.getStored(participantId);
    return stored === undefined
      ? undefined
      : { participant: toParticipant(stored), claimSecretHash: stored.claimSecretHash };
  }

  async changeStatus(
    participantId: string,
    change: StatusChange<ParticipantStatus>,
    cancel?: OrderCancellation,
  ): Promise<{ participant: Participant; cancelled: readonly string[] }> {
    const cancelled = await changeStatusCancelling(
      this.client,
      this.audit,
      {
        tableName: this.tableName,
        key: accessKeys.participant(participantId),
        noun: "participant",
        subject: participantId,
        ...change,
        set: { gsi1pk: accessKeys.participantsByStatus(change.to) },
      },
      cancel,
    );
    const updated = await this.get(participantId);
    if (updated === undefined) throw new Error("participant vanished after its update");
    return { participant: updated, cancelled };
  }

  async claimApiKey(input: KeyClaim): Promise<void> {
    const { participantId, key, at, actor } = input;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: accessKeys.participant(participantId),
                UpdateExpression:
                  "SET apiKeyClaimedAt = :at, apiKeyIssued = :true, updatedAt = :at",
                ConditionExpression:
                  "#status = :approved AND attribute_not_exists(apiKeyClaimedAt)",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: { ":at": at, ":approved": "approved", ":true": true },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.apiKey(key.keyHash), type: "ApiKey", ...key },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            this.audit.transactItem({
              subject: participantId,
              action: "participant.api-key-issued",
              actor,
              at,
            }),
          ],
        }),
      );
    } catch (error) {
      if (failedConditions(error)?.includes(0)) {
        const now = await this.get(participantId);
        if (now?.apiKeyIssued)
          throw new DomainError("ALREADY_CLAIMED", "The API key was already issued.");
        throw new DomainError("NOT_APPROVED", "The participant is not approved.");
      }
      throw error;
    }
  }

  private async getStored(participantId: string): Promise<StoredParticipant | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: accessKeys.participant(participantId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : withoutKeys<StoredParticipant>(Item);
  }
}

/** The public record: the stored item less its keys, the claim-secret hash and the claim time. */
function toParticipant(item: object): Participant {
  const {
    claimSecretHash: _hash,
    apiKeyClaimedAt,
    ...record
  } = withoutKeys<StoredParticipant>(item as Record<string, unknown>);
  return { ...record, apiKeyIssued: apiKeyClaimedAt !== undefined };
}
