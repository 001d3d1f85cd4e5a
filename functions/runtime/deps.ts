import { ApiKeyRepository } from "../adapters/api-key-repository";
import { AssetRepository } from "../adapters/asset-repository";
import { AuditLog } from "../adapters/audit-log";
import { IdempotencyStore } from "../adapters/idempotency-store";
import { ParticipantRepository } from "../adapters/participant-repository";
import { WorkflowExecutions } from "../adapters/workflow-executions";
import { dynamoDocumentClient, sfnClient } from "./clients";
import { required } from "./env";

/**
 * Composition root: the adapters the handlers use, built lazily once per execution environment
 * so that a function only needs the environment of what it actually touches.
 */
export interface Deps {
  readonly apiKeys: ApiKeyRepository;
  readonly workflow: WorkflowExecutions;
  /** Participants (R-AUTH): `get(participantId)` → record with `status`, or undefined. */
  readonly participants: ParticipantRepository;
  /** Assets and MOL entry claims; `listEntryClaims(anmSchemeId)` for R-ELIG-1. */
  readonly assets: AssetRepository;
  /** The append-only audit log: `append(entry)`, `transactItem(entry)`, `list(subject)`. */
  readonly auditLog: AuditLog;
  /** Idempotency records behind the `idempotent` wrapper (functions/http/middleware). */
  readonly idempotency: IdempotencyStore;
}

let apiKeys: ApiKeyRepository | undefined;
let workflow: WorkflowExecutions | undefined;
let participants: ParticipantRepository | undefined;
let assets: AssetRepository | undefined;
let auditLog: AuditLog | undefined;
let idempotency: IdempotencyStore | undefined;

export const deps: Deps = {
  get apiKeys() {
    apiKeys ??= new ApiKeyRepository(dynamoDocumentClient(), required("TABLE_NAME"));
    return apiKeys;
  },
  get workflow() {
    workflow ??= new WorkflowExecutions(sfnClient(), required("STATE_MACHINE_ARN"));
    return workflow;
  },
  get auditLog() {
    auditLog ??= new AuditLog(dynamoDocumentClient(), required("TABLE_NAME"));
    return auditLog;
  },
  get participants() {
    participants ??= new ParticipantRepository(
      dynamoDocumentClient(),
      required("TABLE_NAME"),
      this.auditLog,
    );
    return participants;
  },
  get assets() {
    assets ??= new AssetRepository(
      dynamoDocumentClient(),
      required("TABLE_NAME"),
      this.auditLog,
      this.participants,
    );
    return assets;
  },
  get idempotency() {
    idempotency ??= new IdempotencyStore(dynamoDocumentClient(), required("TABLE_NAME"));
    return idempotency;
  },
};
