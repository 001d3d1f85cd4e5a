import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { DomainError } from "../core/errors";
import type { Participant, ParticipantStatus, RegistrationBody } from "../http/schemas/participant";
import type { ApiKeyRecord } from "./api-key-repository";
import type { Actor, AuditLog } from "./audit-log";
import { getAll } from "./batch-get";
import { failedConditions } from "./dynamo-errors";
import { accessKeys, keys } from "./keys";
import { type Page, type PageRequest, queryPage } from "./page-token";
import { changeStatus } from "./status-change";

/** A participant as stored: the public record plus the claim secret's hash. */
interface StoredParticipant extends Participant {
  claimSecretHash: string;
  apiKeyClaimedAt?: string;
}

/**
 * Participants (R-AUTH): registration, the operator's decisions, the one-time API key claim.
 * Every change is one transaction with its audit record, conditional on the status it read, so
 * concurrent decisions cannot both apply. Reads are strongly consistent.
 */
export class ParticipantRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  async register(input: {
    participantId: string;
    body: RegistrationBody;
    claimSecretHash: string;
    at: string;
    actor: Actor;
  }): Promise<Participant> {
    const { participantId, body, claimSecretHash, at, actor } = input;
    const stored: StoredParticipant = {
      participantId,
      status: "pending",
      organisation: body.organisation,
      contact: body.contact,
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

  /** The participant with its status, or undefined. Strongly consistent. */
  async get(participantId: string): Promise<Participant | undefined> {
    const stored = await this.getStored(participantId);
    return stored === undefined ? undefined : toParticipant(stored);
  }

  /** The participants with these ids that exist (any order). */
  async getMany(participantIds: readonly string[]): Promise<Participant[]> {
    const keys = [...new Set(participantIds)].map(
      (id) => accessKeys.participant(id) as unknown as Record<string, unknown>,
    );
    return (await getAll(this.client, this.tableName, keys)).map((item) =>
      toParticipant(item as unknown as StoredParticipant),
    );
  }

  /** Participants by status (or all), oldest registration first. */
  async list(
    status: ParticipantStatus | undefined,
    page: PageRequest = {},
  ): Promise<Page<Participant>> {
    const partition =
      status === undefined
        ? { index: "gsi2", attribute: "gsi2pk", value: accessKeys.allParticipants() }
        : { index: "gsi1", attribute: "gsi1pk", value: accessKeys.participantsByStatus(status) };
    return queryPage(this.client, this.tableName, partition, page, (item) =>
      toParticipant(item as unknown as StoredParticipant),
    );
  }

  /** The stored claim-secret hash and claim state, for the key claim only. */
  async claimState(
    participantId: string,
  ): Promise<{ participant: Participant; claimSecretHash: string } | undefined> {
    const stored = await this.getStored(participantId);
    return stored === undefined
      ? undefined
      : { participant: toParticipant(stored), claimSecretHash: stored.claimSecretHash };
  }

  /**
   * Moves the participant from `from` to `to`; conditional on `from`, so a concurrent change
   * makes this one fail with 409 `DECISION_NOT_ALLOWED` and change nothing.
   */
  async changeStatus(input: {
    participantId: string;
    from: ParticipantStatus;
    to: ParticipantStatus;
    action: string;
    reason?: string;
    at: string;
    actor: Actor;
  }): Promise<Participant> {
    const { participantId, from, to, action, reason, at, actor } = input;
    await changeStatus(this.client, this.audit, {
      tableName: this.tableName,
      key: accessKeys.participant(participantId),
      noun: "participant",
      subject: participantId,
      from,
      to,
      action,
      ...(reason === undefined ? {} : { reason }),
      at,
      actor,
      set: { gsi1pk: accessKeys.participantsByStatus(to) },
    });
    const updated = await this.get(participantId);
    if (updated === undefined) throw new Error("participant vanished after its update");
    return updated;
  }

  /**
   * Issues the participant's one API key: marks the claim and stores the key's hash in one
   * transaction, conditional on the participant being approved and not having claimed yet.
   */
  async claimApiKey(input: {
    participantId: string;
    key: ApiKeyRecord;
    at: string;
    actor: Actor;
  }): Promise<void> {
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
    return Item as StoredParticipant | undefined;
  }
}

/** The public record: no hash, no key attribute, nothing internal. */
function toParticipant(item: StoredParticipant): Participant {
  const {
    participantId,
    status,
    organisation,
    contact,
    createdAt,
    updatedAt,
    statusReason,
    apiKeyClaimedAt,
  } = item;
  return {
    participantId,
    status,
    organisation,
    contact,
    apiKeyIssued: apiKeyClaimedAt !== undefined,
    ...(statusReason !== undefined ? { statusReason } : {}),
    createdAt,
    updatedAt,
  };
}
