import type { AuditEntry } from "../access/audit";
import { type Actor, type Caller, systemActor } from "../access/roles";
import {
  ConflictError,
  DomainError,
  type FieldProblem,
  NotFoundError,
  TemporarilyUnavailableError,
} from "../errors";
import { LookAheadSchema, toLookAhead } from "../model/look-ahead";
import { deliveryDay, toUtcIso } from "../model/settlement-periods";
import {
  type ActualsBody,
  ActualsInvalidError,
  acceptActuals,
  actualsBodyHash,
} from "../performance/actuals";
import {
  MeterReadingsInvalidError,
  meterUploadOfJson,
  type ParsedMeterUpload,
  readMeterCsv,
  UploadedMeterReadingsSchema,
  uploadIdOf,
} from "../performance/meter-readings";
import { acceptNomination, type NominationBody } from "../performance/nominations";
import type {
  ActualsReceipt,
  ActualsStore,
  Alerts,
  AssetStore,
  IdGenerator,
  MeterReadingStore,
  NominationStore,
  StoredMeterUpload,
  UploadBucket,
  UploadOutcome,
  UploadSession,
  UploadSessionStore,
} from "../ports";
import { validationProblem } from "../problem";
import { membershipOf } from "../verification/membership";
import { type PostTradeDayPorts, postTradeConfigFor, publishedDayOf } from "./post-trade-day";
import {
  actualsReceiptView,
  type MeterUploadSummary,
  meterUploadView,
  nominationView,
} from "./post-trade-views";

/**
 * The inputs after delivery (docs/api.md "ANM interface", "Participants' data"): ANM
 * actuals (R-PERF-1), meter readings in JSON, CSV or through a pre-signed upload (R-PERF-2) and
 * nominations (R-PERF-3). Each checks with the same core rules as the offline simulation, then
 * stores with its audit record; nothing is stored from a refused request.
 */
export interface PostTradeWritePorts extends PostTradeDayPorts {
  ids: IdGenerator;
  assets: Pick<AssetStore, "getMany" | "list">;
  actuals: ActualsStore;
  nominations: NominationStore;
  meters: MeterReadingStore;
  uploads: UploadSessionStore;
  bucket: UploadBucket;
}

const at = (ms: number) => new Date(ms).toISOString();

/** The entries a participant owns: those claimed by its qualified assets, as `<scheme>\0<entry>`. */
export async function ownEntries(
  ports: { assets: Pick<AssetStore, "list"> },
  participantId: string,
): Promise<Set<string>> {
  const own = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await ports.assets.list(participantId, { limit: 100, nextToken });
    for (const asset of page.items)
      if (asset.status === "qualified")
        for (const entryId of asset.molEntryIds) own.add(entryKey(asset.anmSchemeId, entryId));
    nextToken = page.nextToken;
  } while (nextToken);
  return own;
}

export const entryKey = (anmSchemeId: string, entryId: string) => `${anmSchemeId}\u0000${entryId}`;

/** The entries of a scheme held by an asset that is not rejected (D-19 claims). */
async function claimedEntries(
  ports: Pick<PostTradeDayPorts, "claims">,
  anmSchemeId: string,
): Promise<Set<string>> {
  return new Set(
    (await ports.claims.claimsOfScheme(anmSchemeId)).map((c) => entryKey(anmSchemeId, c.entryId)),
  );
}

// ── POST /anm/actuals ─────────────────────────────────────────────────────────────────────────

/**
 * R-PERF-1: accepted once the day has ended (409 DELIVERY_DAY_NOT_ENDED), for a day with a
 * published day-ahead (422 ACTUALS_INVALID otherwise), checked against the day's MOLs and units
 * in force (422). `actualsId` is the idempotency key within the scheme: the same body again
 * answers the first receipt (`replayed`), another body 409 ACTUALS_CONFLICT.
 */
export async function submitActuals(
  ports: PostTradeWritePorts,
  actor: Actor,
  body: ActualsBody,
  receivedAtMs: number,
): Promise<{ replayed: boolean; answer: ReturnType<typeof actualsReceiptView> }> {
  const bodyHash = actualsBodyHash(body);
  const replay = (held: ActualsReceipt) => {
    if (held.bodyHash !== bodyHash)
      throw new ConflictError(
        "ACTUALS_CONFLICT",
        `Actuals ${body.actualsId} were already received with another body.`,
      );
    return { replayed: true, answer: actualsReceiptView(held) };
  };
  const held = await ports.actuals.receipt(body.anmSchemeId, body.actualsId);
  if (held) return replay(held);
  const key = { anmSchemeId: body.anmSchemeId, deliveryDate: body.deliveryDate };
  if (receivedAtMs < deliveryDay(body.deliveryDate).endMs)
    throw new ConflictError(
      "DELIVERY_DAY_NOT_ENDED",
      `Actuals for ${body.deliveryDate} are accepted once the day has ended (R-PERF-1).`,
    );
  const published = await publishedDayOf(ports, key);
  if (!published)
    throw new ActualsInvalidError([
      { path: "deliveryDate", message: "no published day-ahead for this scheme and day" },
    ]);
  const { day } = published;
  const record = acceptActuals(body, day, membershipOf(day.lookAhead, day.changes), receivedAtMs);
  const audit: AuditEntry = {
    subject: body.actualsId,
    action: "actuals.received",
    actor,
    at: at(receivedAtMs),
    to: `received: ${record.constraints.length} constraint(s), ${record.available.length} entry value(s)`,
  };
  const existing = await ports.actuals.put(key, record, audit);
  if (existing) return replay(existing);
  return {
    replayed: false,
    answer: actualsReceiptView({
      actualsId: record.actualsId,
      receivedAtMs,
      constraints: record.constraints.length,
      entries: record.available.length,
    }),
  };
}

// ── PUT /baselines ────────────────────────────────────────────────────────────────────────────

/**
 * R-PERF-3: the day's nomination of an own entry (another's or an unknown entry: 404), before
 * the baseline deadline (409 BASELINE_DEADLINE_PASSED), one value per SP within the entry's
 * capacity (422 BASELINE_INVALID). It needs the day's look-ahead, which names the entry and its
 * capacity (before it: 404, D-224). Replaces the earlier nomination; versions count from 1.
 */
export async function putNomination(
  ports: PostTradeWritePorts,
  caller: Caller,
  body: NominationBody,
  receivedAtMs: number,
) {
  const key = { anmSchemeId: body.anmSchemeId, deliveryDate: body.deliveryDate };
  if (
    caller.role === "participant" &&
    !(await ownEntries(ports, caller.principalId)).has(entryKey(body.anmSchemeId, body.entryId))
  )
    throw new NotFoundError(`Entry ${body.entryId}`);
  const current = await ports.cycles.currentCycle(key.anmSchemeId, key.deliveryDate);
  const stored = current ? await ports.cycles.loadLookAhead(current.cycleId) : undefined;
  if (!current || !stored)
    throw new NotFoundError(`Entry ${body.entryId} on ${body.deliveryDate} (no look-ahead yet)`);
  const lookAhead = toLookAhead(LookAheadSchema.parse(stored));
  const config = await postTradeConfigFor(ports, key);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const held = (await ports.nominations.ofDay(key)).filter((n) => n.entryId === body.entryId);
    const nomination = acceptNomination(body, lookAhead, held, receivedAtMs, config);
    const ok = await ports.nominations.put(nomination, {
      subject: `${body.anmSchemeId}/${body.deliveryDate}/${body.entryId}`,
      action: "nomination.received",
      actor: caller,
      at: at(receivedAtMs),
      ...(nomination.version > 1 ? { from: `version ${nomination.version - 1}` } : {}),
      to: `version ${nomination.version}`,
    });
    if (ok) return nominationView(nomination);
  }
  throw new TemporarilyUnavailableError("contention");
}

// ── POST /meter-readings ──────────────────────────────────────────────────────────────────────

/**
 * R-PERF-2 for a parsed upload: every day must be of an entry the caller may report for — a
 * participant its own entries, the operator any claimed entry (its upload is a correction that
 * counts whenever received, D-225) — else 422 METER_READINGS_INVALID `unknown entry` at the day's
 * path; then the readings are stored and the answer says for each day whether it counts.
 * An upload that holds no reading at all is 422 too.
 */
export async function submitMeterReadings(
  ports: PostTradeWritePorts,
  caller: Caller,
  parsed: ParsedMeterUpload,
  receivedAtMs: number,
  uploadId?: string,
): Promise<{ replayed: boolean; answer: ReturnType<typeof meterUploadView> }> {
  if (parsed.days.length === 0)
    throw new MeterReadingsInvalidError([
      { path: "line 2.anmSchemeId", message: "the file holds no readings after its header" },
    ]);
  const allowed =
    caller.role === "participant"
      ? await ownEntries(ports, caller.principalId)
      : new Set(
          (
            await Promise.all(
              [...new Set(parsed.days.map((d) => d.anmSchemeId))].map((s) =>
                claimedEntries(ports, s),
              ),
            )
          ).flatMap((s) => [...s]),
        );
  const problems: FieldProblem[] = [];
  parsed.days.forEach((d, i) => {
    if (!allowed.has(entryKey(d.anmSchemeId, d.entryId)) && problems.length < 100)
      problems.push({ path: `${parsed.paths[i]}.entryId`, message: "unknown entry" });
  });
  if (problems.length > 0) throw new MeterReadingsInvalidError(problems);
  const upload: StoredMeterUpload = {
    uploadId: uploadId ?? uploadIdOf(receivedAtMs, parsed.days),
    receivedAtMs,
    byOperator: caller.role === "operator",
    days: parsed.days,
    owner: caller.role === "participant" ? caller.principalId : "operator",
    readingCount: parsed.readingCount,
  };
  const outcome = await ports.meters.put(upload, {
    subject: upload.uploadId,
    action: "meter-readings.received",
    actor: caller,
    at: at(receivedAtMs),
    to: `received: ${upload.readingCount} reading(s) of ${upload.days.length} entry-day(s)`,
  });
  if (outcome === "exists")
    return { replayed: true, answer: await heldUploadView(ports, upload.uploadId) };
  const summary: MeterUploadSummary = {
    uploadId: upload.uploadId,
    receivedAtMs,
    byOperator: upload.byOperator,
    readingCount: upload.readingCount,
    days: upload.days.map((d) => ({
      anmSchemeId: d.anmSchemeId,
      entryId: d.entryId,
      deliveryDate: d.deliveryDate,
      direction: d.direction,
      readings: d.valuesW.filter((w) => w !== null).length,
    })),
  };
  return { replayed: false, answer: await uploadView(ports, summary) };
}

async function uploadView(ports: PostTradeWritePorts, summary: MeterUploadSummary) {
  const deadlines = new Map<string, number>();
  for (const d of summary.days) {
    const k = `${d.anmSchemeId}/${d.deliveryDate}`;
    if (!deadlines.has(k))
      deadlines.set(k, (await postTradeConfigFor(ports, d)).meterDataDeadlineDays);
  }
  return meterUploadView(summary, (d) => deadlines.get(`${d.anmSchemeId}/${d.deliveryDate}`)!);
}

async function heldUploadView(ports: PostTradeWritePorts, uploadId: string) {
  const record = await ports.meters.get(uploadId);
  if (!record) throw new NotFoundError(`Upload ${uploadId}`);
  return uploadView(ports, record);
}

// ── Pre-signed uploads ────────────────────────────────────────────────────────────────────────

/** Largest file a pre-signed upload takes (D-223). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** How long a pre-signed upload URL works. */
export const UPLOAD_URL_SECONDS = 900;

/**
 * `POST /meter-uploads`: a URL to PUT a meter file of `contentLength` bytes and `contentType` to
 * (the upload bucket), valid for {@link UPLOAD_URL_SECONDS}; the file is then submitted with
 * `POST /meter-readings { "uploadId" }` and checked exactly as a body would be.
 */
export async function createUploadSession(
  ports: PostTradeWritePorts,
  caller: Caller,
  request: { contentType: UploadSession["contentType"]; contentLength: number },
  nowMs: number,
) {
  const uploadId = ports.ids.newId("upload");
  const session: UploadSession = {
    uploadId,
    owner: caller.role === "participant" ? caller.principalId : "operator",
    contentType: request.contentType,
    contentLength: request.contentLength,
    createdAtMs: nowMs,
    expiresAtMs: nowMs + UPLOAD_URL_SECONDS * 1000,
  };
  await ports.uploads.create(session, {
    subject: uploadId,
    action: "meter-upload.created",
    actor: caller,
    at: at(nowMs),
    to: "waiting for the file",
  });
  const { url, headers } = await ports.bucket.uploadUrl(
    uploadId,
    request.contentType,
    request.contentLength,
    UPLOAD_URL_SECONDS,
  );
  return {
    uploadId,
    method: "PUT" as const,
    uploadUrl: url,
    headers,
    expiresAt: toUtcIso(session.expiresAtMs),
  };
}

/** The caller a session's file is checked as: its owner (a participant, or the operator). */
function ownerCaller(session: UploadSession): Caller {
  return session.owner === "operator"
    ? { role: "operator", principalId: "operator" }
    : { role: "participant", principalId: session.owner };
}

/** The session of an upload the caller may see (the operator any; a participant its own). */
async function visibleSession(
  ports: Pick<PostTradeWritePorts, "uploads">,
  caller: Caller,
  uploadId: string,
  operatorSeesAll: boolean,
): Promise<UploadSession> {
  const session = await ports.uploads.get(uploadId);
  const owner = caller.role === "participant" ? caller.principalId : "operator";
  if (!session || (session.owner !== owner && !(operatorSeesAll && caller.role === "operator")))
    throw new NotFoundError(`Upload ${uploadId}`);
  return session;
}

/** A refused upload's answer again: the 4xx its file got (same code, detail, field paths). */
const refusal = (outcome: Extract<UploadOutcome, { status: "refused" }>) =>
  new DomainError(outcome.code, outcome.detail, outcome.errors);

/**
 * The file of a pre-signed upload, once it is in the bucket (the `MeterUploadReceived`
 * consumer, run by the bucket's ObjectCreated event, D-232): read as a stream and checked as a
 * body of its type (CSV: the same reader; JSON: the same schema, up to 100,000 readings), stored
 * under the session's id as {@link submitMeterReadings} stores a body, received at the object's
 * creation time; then the outcome — accepted, or refused with its 4xx code and field paths — is
 * recorded once. Idempotent (events come at least once): an outcome already held ends it, and a
 * re-run after a crash rewrites the same items (the readings count only once their record is
 * stored). A key without a session is ignored; a fault that is not a refusal (5xx, throttling)
 * is thrown so the event is retried.
 */
export async function processUpload(
  ports: PostTradeWritePorts,
  uploadId: string,
  receivedAtMs: number,
): Promise<{ outcome: UploadOutcome | undefined }> {
  const session = await ports.uploads.get(uploadId);
  if (!session) return { outcome: undefined };
  if (session.outcome) return { outcome: session.outcome };
  const object = await ports.bucket.read(uploadId);
  if (!object) return { outcome: undefined };
  const caller = ownerCaller(session);
  let outcome: UploadOutcome;
  try {
    const parsed =
      session.contentType === "text/csv"
        ? await readMeterCsv(object.body)
        : await parseJsonUpload(object.body);
    await submitMeterReadings(ports, caller, parsed, receivedAtMs, uploadId);
    outcome = { status: "accepted", atMs: receivedAtMs };
  } catch (error) {
    if (!(error instanceof DomainError) || error instanceof TemporarilyUnavailableError)
      throw error;
    outcome = {
      status: "refused",
      atMs: receivedAtMs,
      code: error.code,
      detail: error.message,
      errors: [...error.errors],
    };
  }
  const held = await ports.uploads.recordOutcome(uploadId, outcome, {
    subject: uploadId,
    action: outcome.status === "accepted" ? "meter-upload.accepted" : "meter-upload.refused",
    actor: caller,
    at: at(receivedAtMs),
    ...(outcome.status === "refused" ? { reason: outcome.code } : {}),
  });
  return { outcome: held };
}

/** What a failed upload tells its sender (D-233): rule words, never the fault's own text. */
export const UPLOAD_FAILED_DETAIL =
  "The uploaded file could not be processed: every attempt failed on a fault of the platform, not of the file, so none of its readings count. Upload the file again with a new upload (POST /meter-uploads); the operator has been alerted.";

/**
 * A pre-signed upload whose every processing attempt failed (D-233; locally after the object
 * route's last retry, in the cloud from the consumer's dead-letter queue): records the outcome
 * `failed` once with its audit record and alerts the operator. An outcome already held (it was
 * accepted or refused after all) stays, and nothing is alerted; a key without a session is
 * ignored. The readings a failed attempt wrote never count: they count only once the upload's
 * record is stored (D-232), and a failed upload has none.
 */
export async function failUpload(
  ports: Pick<PostTradeWritePorts, "uploads"> & { alerts: Alerts },
  uploadId: string,
  failedAtMs: number,
  attempts: number | undefined,
): Promise<{ outcome: UploadOutcome | undefined }> {
  const session = await ports.uploads.get(uploadId);
  if (!session) return { outcome: undefined };
  if (session.outcome) return { outcome: session.outcome };
  const outcome: UploadOutcome = {
    status: "failed",
    atMs: failedAtMs,
    code: "UPLOAD_FAILED",
    detail: UPLOAD_FAILED_DETAIL,
    ...(attempts === undefined ? {} : { attempts }),
  };
  const held = await ports.uploads.recordOutcome(uploadId, outcome, {
    subject: uploadId,
    action: "meter-upload.failed",
    actor: systemActor("MeterUploadFailed"),
    at: at(failedAtMs),
    reason: "UPLOAD_FAILED",
  });
  // The store hands back the outcome it was given when it wrote it, the held one otherwise.
  if (held === outcome)
    await ports.alerts.alert(`Meter upload ${uploadId} failed`, {
      uploadId,
      owner: session.owner,
      contentType: session.contentType,
      contentLength: session.contentLength,
      ...(attempts === undefined ? {} : { attempts }),
      failedAt: toUtcIso(failedAtMs),
      action:
        "Every attempt to process the file failed (see the MeterUploadReceived logs); the sender was told to upload it again.",
    });
  return { outcome: held };
}

/** A failed upload's answer (D-233): 409 UPLOAD_FAILED, the same every time. */
const failure = (outcome: Extract<UploadOutcome, { status: "failed" }>) =>
  new ConflictError(outcome.code, outcome.detail);

/**
 * `POST /meter-readings { "uploadId" }`: the outcome of the file put to the session's URL (it is
 * processed by the bucket's event, {@link processUpload}): accepted — the answer a body would
 * have had (201, the same again); refused — that refusal's 4xx; while it is processed —
 * `processing` (202); nothing uploaded yet — 409 UPLOAD_NOT_RECEIVED. Another's or an unknown
 * session: 404.
 */
export async function submitUpload(
  ports: PostTradeWritePorts,
  caller: Caller,
  uploadId: string,
): Promise<
  | { status: "processing"; answer: { uploadId: string; status: "processing" } }
  | { status: "accepted"; answer: ReturnType<typeof meterUploadView> }
> {
  const session = await visibleSession(ports, caller, uploadId, false);
  const outcome = session.outcome;
  if (outcome?.status === "refused") throw refusal(outcome);
  if (outcome?.status === "failed") throw failure(outcome);
  if (outcome?.status === "accepted")
    return { status: "accepted", answer: await heldUploadView(ports, uploadId) };
  if (!(await ports.bucket.exists(uploadId)))
    throw new ConflictError(
      "UPLOAD_NOT_RECEIVED",
      `Nothing was uploaded for ${uploadId} yet: PUT the file to its uploadUrl first.`,
    );
  return { status: "processing", answer: { uploadId, status: "processing" } };
}

/**
 * `GET /meter-uploads/{uploadId}` (its owner; the operator any): the session and where its file
 * is — `awaiting-file`, `processing`, `accepted` with the answer, `refused` with the problem.
 */
export async function uploadStatus(ports: PostTradeWritePorts, caller: Caller, uploadId: string) {
  const session = await visibleSession(ports, caller, uploadId, true);
  const base = {
    uploadId,
    contentType: session.contentType,
    contentLength: session.contentLength,
    createdAt: toUtcIso(session.createdAtMs),
    expiresAt: toUtcIso(session.expiresAtMs),
  };
  const outcome = session.outcome;
  if (outcome?.status === "accepted")
    return {
      ...base,
      status: "accepted" as const,
      processedAt: toUtcIso(outcome.atMs),
      result: await heldUploadView(ports, uploadId),
    };
  if (outcome?.status === "refused")
    return {
      ...base,
      status: "refused" as const,
      processedAt: toUtcIso(outcome.atMs),
      problem: { code: outcome.code, detail: outcome.detail, errors: outcome.errors },
    };
  if (outcome?.status === "failed")
    return {
      ...base,
      status: "failed" as const,
      processedAt: toUtcIso(outcome.atMs),
      problem: { code: outcome.code, detail: outcome.detail, errors: [] },
    };
  return {
    ...base,
    status: (await ports.bucket.exists(uploadId))
      ? ("processing" as const)
      : ("awaiting-file" as const),
  };
}

async function parseJsonUpload(body: AsyncIterable<Uint8Array>): Promise<ParsedMeterUpload> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(concat(chunks));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DomainError("MALFORMED_JSON", "The uploaded file is not valid JSON.", [
      { path: "body", message: "must be a JSON document" },
    ]);
  }
  const shape = UploadedMeterReadingsSchema.safeParse(json);
  if (!shape.success) {
    const problem = validationProblem(shape.error.issues);
    throw new DomainError("VALIDATION_FAILED", problem.detail, problem.errors ?? []);
  }
  return meterUploadOfJson(shape.data);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
