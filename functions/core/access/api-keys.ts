import { ConflictError, NotFoundError } from "../errors";
import type { Page, PageRequest } from "../model/paging";
import { recordInstant } from "../model/settlement-periods";
import type { ApiKeyStore, Clock, Credentials, ParticipantStore, SchemeStore } from "../ports";
import { type ApiKeyRecord, anmPrincipalOf, newKeyRecord } from "./api-key";
import type { Actor, Caller } from "./roles";

/**
 * Key management (docs/api.md "Keys"): ANM keys per scheme, operator keys with names, the
 * key list and revocation, a participant's own rotation and the operator's re-issue. Keys are
 * shown once and stored only as hashes; every change writes its audit record in the same
 * transaction, naming the key that acted (D-196).
 */
export interface ApiKeyPorts {
  clock: Clock;
  credentials: Credentials;
  apiKeys: ApiKeyStore;
  participants: Pick<ParticipantStore, "rotateApiKey" | "reissueKey">;
  schemes: Pick<SchemeStore, "get">;
}

/** A key as `GET /api-keys` lists it: never the key or its hash. */
export interface ApiKeyView {
  keyId: string;
  role: ApiKeyRecord["role"];
  status: ApiKeyRecord["status"];
  name?: string;
  anmSchemeId?: string;
  participantId?: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

export function apiKeyView(record: ApiKeyRecord): ApiKeyView {
  return {
    keyId: record.keyId,
    role: record.role,
    status: record.status,
    ...(record.name === undefined ? {} : { name: record.name }),
    ...(record.anmSchemeId === undefined ? {} : { anmSchemeId: record.anmSchemeId }),
    ...(record.role === "participant" ? { participantId: record.principalId } : {}),
    createdAt: record.createdAt,
    ...(record.lastUsedAt === undefined ? {} : { lastUsedAt: record.lastUsedAt }),
    ...(record.revokedAt === undefined ? {} : { revokedAt: record.revokedAt }),
  };
}

/** A new key of `role`, issued with its audit record; the key itself is returned once. */
async function issue(
  ports: Pick<ApiKeyPorts, "clock" | "credentials" | "apiKeys">,
  fields: { role: "operator" | "anm"; name: string; anmSchemeId?: string },
  actor: Actor,
): Promise<{ keyId: string; apiKey: string }> {
  const apiKey = ports.credentials.newApiKey();
  const at = recordInstant(ports.clock.nowMs());
  const record = newKeyRecord(ports.credentials.hashApiKey(apiKey), {
    role: fields.role,
    principalId: fields.role === "anm" ? anmPrincipalOf(fields.anmSchemeId) : "operator",
    createdAt: at,
    name: fields.name,
    ...(fields.anmSchemeId === undefined ? {} : { anmSchemeId: fields.anmSchemeId }),
  });
  await ports.apiKeys.issue(record, {
    subject: record.keyId,
    action: "api-key.issued",
    actor,
    at,
    to: fields.anmSchemeId === undefined ? fields.role : `${fields.role} ${fields.anmSchemeId}`,
    reason: fields.name,
  });
  return { keyId: record.keyId, apiKey };
}

/**
 * `POST /schemes/{anmSchemeId}/anm-keys` (operator): an ANM key bound to a registered scheme
 * (D-195); with it every ANM route for another scheme answers 404.
 */
export async function issueAnmKey(
  ports: Pick<ApiKeyPorts, "clock" | "credentials" | "apiKeys" | "schemes">,
  anmSchemeId: string,
  name: string | undefined,
  actor: Actor,
): Promise<{ keyId: string; apiKey: string }> {
  if ((await ports.schemes.get(anmSchemeId)) === undefined)
    throw new NotFoundError(`Scheme ${anmSchemeId}`);
  return issue(ports, { role: "anm", name: name ?? `ANM ${anmSchemeId}`, anmSchemeId }, actor);
}

/** An operator key issued to a named person or system (`npm run admin -- put-key`, D-196). */
export async function issueOperatorKey(
  ports: Pick<ApiKeyPorts, "clock" | "credentials" | "apiKeys">,
  name: string,
  actor: Actor,
): Promise<{ keyId: string; apiKey: string }> {
  return issue(ports, { role: "operator", name }, actor);
}

/** `GET /api-keys` (operator): every key, oldest first. */
export async function listApiKeys(
  ports: Pick<ApiKeyPorts, "apiKeys">,
  page: PageRequest,
): Promise<Page<ApiKeyView>> {
  const found = await ports.apiKeys.list(page);
  return { ...found, items: found.items.map(apiKeyView) };
}

/** `DELETE /api-keys/{keyId}` (operator): the key is refused from its next request on (401). */
export async function revokeApiKey(
  ports: Pick<ApiKeyPorts, "clock" | "apiKeys">,
  keyId: string,
  actor: Actor,
): Promise<ApiKeyView> {
  const revoked = await ports.apiKeys.revoke(keyId, recordInstant(ports.clock.nowMs()), actor);
  if (revoked === undefined) throw new NotFoundError(`Key ${keyId}`);
  return apiKeyView(revoked);
}

/**
 * `POST /me/api-key-rotations` (participant): a new key, shown once; the key that asked stops at
 * once (D-198).
 */
export async function rotateOwnKey(
  ports: Pick<ApiKeyPorts, "clock" | "credentials" | "apiKeys" | "participants">,
  caller: Caller,
  actor: Actor,
): Promise<{ keyId: string; apiKey: string }> {
  const current =
    caller.keyId === undefined ? undefined : await ports.apiKeys.findById(caller.keyId);
  if (current === undefined || current.principalId !== caller.principalId)
    throw new ConflictError(
      "KEY_NOT_CURRENT",
      "The key that asked is no longer the participant's current key; nothing was changed.",
    );
  const apiKey = ports.credentials.newApiKey();
  const at = recordInstant(ports.clock.nowMs());
  const key = newKeyRecord(ports.credentials.hashApiKey(apiKey), {
    role: "participant",
    principalId: caller.principalId,
    createdAt: at,
  });
  await ports.participants.rotateApiKey({
    participantId: caller.principalId,
    previousKeyHash: current.keyHash,
    key,
    at,
    actor,
  });
  return { keyId: key.keyId, apiKey };
}

/**
 * `POST /participants/{participantId}/key-reissues` (operator): for a participant that lost its
 * key, a new claim secret (shown once); the current key stops at once and the secret claims a
 * new one through `POST /registrations/{participantId}/api-key` (D-198).
 */
export async function reissueParticipantKey(
  ports: Pick<ApiKeyPorts, "clock" | "credentials" | "participants">,
  participantId: string,
  actor: Actor,
  reason?: string,
): Promise<{ participantId: string; claimSecret: string }> {
  const claimSecret = ports.credentials.newClaimSecret();
  const reissued = await ports.participants.reissueKey({
    participantId,
    claimSecretHash: await ports.credentials.hashClaimSecret(claimSecret),
    at: recordInstant(ports.clock.nowMs()),
    actor,
    ...(reason === undefined ? {} : { reason }),
  });
  if (reissued === undefined) throw new NotFoundError("The participant");
  return { participantId, claimSecret };
}
