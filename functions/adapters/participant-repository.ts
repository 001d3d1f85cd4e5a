import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { keyIdOf } from "../core/access/api-key";
import type { Participant, ParticipantStatus } from "../core/access/participant";
import { decisionNotAllowed } from "../core/access/participant";
import { ConflictError, DomainError, TemporarilyUnavailableError } from "../core/errors";
import type { Page, PageRequest } from "../core/model/paging";
import type {
  KeyClaim,
  KeyReissue,
  KeyRotation,
  NewParticipant,
  OrderCancellation,
  ParticipantStore,
  StatusChange,
} from "../core/ports";
import { keyItems, revokeItem } from "./api-key-repository";
import type { AuditLog } from "./audit-log";
import { getAll } from "./batch-get";
import { failedConditions } from "./dynamo-errors";
import { accessKeys } from "./keys";
import { queryPage } from "./page-token";
import { changeStatusCancelling } from "./status-change";
import { withoutKeys } from "./table-io";

/**
 * A participant as stored: the public record plus the claim secret's hash and when the key was
 * claimed. These two never leave this file ({@link toParticipant}).
 */
interface StoredParticipant extends Participant {
  claimSecretHash: string;
  /** When the current claim secret was issued by a re-issue (D-198); absent: at registration. */
  claimSecretIssuedAt?: string;
  apiKeyClaimedAt?: string;
  /** The hash of the participant's current key (D-198); never leaves this file. */
  apiKeyHash?: string;
}

/** The current-key hash of a participant whose key was re-issued: no key hashes to it (D-198). */
const NO_CURRENT_KEY = "none";

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
  ): Promise<
    { participant: Participant; claimSecretHash: string; claimSecretIssuedAt: string } | undefined
  > {
    const stored = await this.getStored(participantId);
    return stored === undefined
      ? undefined
      : {
          participant: toParticipant(stored),
          claimSecretHash: stored.claimSecretHash,
          claimSecretIssuedAt: stored.claimSecretIssuedAt ?? stored.createdAt,
        };
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
                  "SET apiKeyClaimedAt = :at, apiKeyIssued = :true, updatedAt = :at, apiKeyHash = :hash",
                ConditionExpression:
                  "#status = :approved AND attribute_not_exists(apiKeyClaimedAt)",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: {
                  ":at": at,
                  ":approved": "approved",
                  ":true": true,
                  ":hash": key.keyHash,
                },
              },
            },
            ...keyItems(this.tableName, key),
            this.audit.transactItem({
              subject: participantId,
              action: "participant.api-key-issued",
              actor,
              at,
              to: key.keyId,
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

  async keyState(
    participantId: string,
  ): Promise<{ status: ParticipantStatus; currentKeyHash?: string } | undefined> {
    const stored = await this.getStored(participantId);
    if (stored === undefined) return undefined;
    return {
      status: stored.status,
      ...(stored.apiKeyHash === undefined ? {} : { currentKeyHash: stored.apiKeyHash }),
    };
  }

  async rotateApiKey(input: KeyRotation): Promise<void> {
    const { participantId, previousKeyHash, key, at, actor } = input;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            revokeItem(this.tableName, previousKeyHash, at, {
              ifActive: true,
              principalId: participantId,
            }),
            {
              Update: {
                TableName: this.tableName,
                Key: accessKeys.participant(participantId),
                UpdateExpression: "SET apiKeyHash = :hash, updatedAt = :at",
                ConditionExpression:
                  "#status = :approved AND (attribute_not_exists(apiKeyHash) OR apiKeyHash = :previous)",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: {
                  ":hash": key.keyHash,
                  ":at": at,
                  ":approved": "approved",
                  ":previous": previousKeyHash,
                },
              },
            },
            ...keyItems(this.tableName, key),
            this.audit.transactItem({
              subject: participantId,
              action: "participant.api-key-rotated",
              actor,
              at,
              from: keyIdOf(previousKeyHash),
              to: key.keyId,
            }),
          ],
        }),
      );
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.includes(0) || failed?.includes(1))
        throw new ConflictError(
          "KEY_NOT_CURRENT",
          "The key that asked is no longer the participant's current key; nothing was changed.",
        );
      throw error;
    }
  }

  async reissueKey(input: KeyReissue): Promise<Participant | undefined> {
    const { participantId, claimSecretHash, at, actor } = input;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const stored = await this.getStored(participantId);
      if (stored === undefined) return undefined;
      if (stored.status === "rejected")
        throw decisionNotAllowed("participant", stored.status, "key-reissue");
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: accessKeys.participant(participantId),
                  // No current key, and a hash no key has: a key claimed before keys were
                  // tracked stops too (D-198).
                  UpdateExpression:
                    "SET claimSecretHash = :secret, claimSecretIssuedAt = :at, apiKeyIssued = :false, updatedAt = :at, apiKeyHash = :none REMOVE apiKeyClaimedAt",
                  ConditionExpression:
                    stored.apiKeyHash === undefined
                      ? "#status = :status AND attribute_not_exists(apiKeyHash)"
                      : "#status = :status AND apiKeyHash = :current",
                  ExpressionAttributeNames: { "#status": "status" },
                  ExpressionAttributeValues: {
                    ":secret": claimSecretHash,
                    ":false": false,
                    ":at": at,
                    ":none": NO_CURRENT_KEY,
                    ":status": stored.status,
                    ...(stored.apiKeyHash === undefined ? {} : { ":current": stored.apiKeyHash }),
                  },
                },
              },
              ...(stored.apiKeyHash === undefined || stored.apiKeyHash === NO_CURRENT_KEY
                ? []
                : [revokeItem(this.tableName, stored.apiKeyHash, at, { ifActive: false })]),
              this.audit.transactItem({
                subject: participantId,
                action: "participant.api-key-reissued",
                actor,
                at,
                ...(input.reason === undefined ? {} : { reason: input.reason }),
                from:
                  stored.apiKeyHash === undefined || stored.apiKeyHash === NO_CURRENT_KEY
                    ? "no key"
                    : keyIdOf(stored.apiKeyHash),
                to: "a new claim secret, the key not yet claimed",
              }),
            ],
          }),
        );
        return this.get(participantId);
      } catch (error) {
        // The participant changed between the read and the write: read again.
        if (!failedConditions(error)?.includes(0)) throw error;
      }
    }
    throw new TemporarilyUnavailableError("contention");
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
    claimSecretIssuedAt: _issued,
    apiKeyClaimedAt,
    apiKeyHash: _key,
    ...record
  } = withoutKeys<StoredParticipant>(item as Record<string, unknown>);
  return { ...record, apiKeyIssued: apiKeyClaimedAt !== undefined };
}
