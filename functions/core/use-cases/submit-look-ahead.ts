import { hash } from "node:crypto";
import type { AuditEntry } from "../access/audit";
import type { Actor } from "../access/roles";
import { marketConfigOf, type SchemeSettings } from "../config/market-config";
import {
  GateClosedError,
  LookAheadConflictError,
  LookAheadInvalidError,
  TemporarilyUnavailableError,
} from "../errors";
import { deterministicId } from "../model/ids";
import {
  checkGateClosureNotPast,
  gateClosureMsOf,
  type LookAheadBody,
  toLookAhead,
} from "../model/look-ahead";
import { recordInstant } from "../model/settlement-periods";
import { findEvents } from "../opportunities/events";
import type { Cycle, CycleStore, Replaced, SchemeStore, WorkflowStarter } from "../ports";
import { startNextAttempt } from "./cycle-attempts";

export type { CycleRef } from "./cycle-attempts";

/** R-IN-2: cycle ids derive from the scheme and the look-ahead id. */
export function cycleIdOf(anmSchemeId: string, lookAheadId: string): string {
  return deterministicId("cyc", anmSchemeId, lookAheadId);
}

/** SHA-256 of the look-ahead as validated (zod output has a fixed key order). */
export function bodyHashOf(body: LookAheadBody): string {
  return hash("sha256", JSON.stringify(body), "hex");
}

export interface SubmitLookAheadPorts {
  cycles: CycleStore;
  workflow: WorkflowStarter;
  schemes: Pick<SchemeStore, "markDayInUse" | "settingsFor">;
}

/**
 * The checks of a new look-ahead that depend on its scheme's configuration for the day: R-IN-1
 * (gate closure — the scheme's default where the look-ahead gives none — not in the past, nor
 * beyond D-133's lead time) and D-142's market cap.
 */
function checkAgainstScheme(
  body: LookAheadBody,
  receivedAtMs: number,
  settings: SchemeSettings | undefined,
): void {
  const config = marketConfigOf(settings);
  checkGateClosureNotPast(body, receivedAtMs, config.gateClosure);
  checkMarketCap(body, config.maxMarketsPerLookAhead);
}

/**
 * D-190: the scheme configuration a new look-ahead's day runs under. The look-ahead is checked
 * against the version in force before anything is written (a refused look-ahead changes
 * nothing); then the day is marked as having a look-ahead, so no version can be added for it
 * afterwards, and the version read after the mark is the one every later step of the day reads
 * (checked again if a version was added in between).
 */
async function dayConfiguration(
  ports: SubmitLookAheadPorts,
  body: LookAheadBody,
  receivedAtMs: number,
): Promise<SchemeSettings | undefined> {
  const before = await ports.schemes.settingsFor(body.anmSchemeId, body.deliveryDate);
  checkAgainstScheme(body, receivedAtMs, before);
  await ports.schemes.markDayInUse(body.anmSchemeId, body.deliveryDate);
  const settings = await ports.schemes.settingsFor(body.anmSchemeId, body.deliveryDate);
  if (settings?.version !== before?.version) checkAgainstScheme(body, receivedAtMs, settings);
  return settings;
}

/**
 * D-142: a look-ahead may open at most the scheme's `maxMarketsPerLookAhead` markets (one per
 * constraint event, R-EVENT-2); more is 422 `LOOK_AHEAD_INVALID` and nothing is stored.
 */
function checkMarketCap(body: LookAheadBody, maxMarketsPerLookAhead: number): void {
  const lookAhead = toLookAhead(body);
  const markets = lookAhead.constraints.reduce(
    (n, constraint) => n + findEvents(constraint, lookAhead.day).length,
    0,
  );
  if (markets > maxMarketsPerLookAhead)
    throw new LookAheadInvalidError([
      {
        path: "constraints",
        message: `would open ${markets} markets; the scheme allows ${maxMarketsPerLookAhead} per look-ahead (D-142)`,
      },
    ]);
}

/**
 * How often the switch to the new cycle is tried again after the scheme-day pointer moved under
 * it: each failed try means another look-ahead of the day became current meanwhile.
 */
const SWITCH_TRIES = 50;

/**
 * `POST /anm/look-aheads` after validation: R-IN-1 (gate closure not in the past, nor beyond the
 * lead-time limit of D-133), R-IN-2 (idempotent on `lookAheadId`: same body → the original
 * cycle, other body → 409), R-IN-3 (before gate closure a new look-ahead supersedes the scheme's
 * day; after it, 409).
 *
 * D-130: the new cycle, the scheme-day pointer, the supersession of the cycle the pointer named
 * and their audit records are one conditional transaction, so the cycle superseded is exactly
 * the one this switch replaced, however many look-aheads race; when the pointer moved since it
 * was read, it is read again and the switch retried. Of racing look-aheads the one received
 * last stands: one received before the day's current one is stored superseded by it at once. Then the replaced cycle's execution is
 * stopped and this cycle's first attempt started ({@link startNextAttempt}). Every write is
 * conditional or idempotent, so a replay after a crash finishes the job and never doubles it.
 */
export async function submitLookAhead(
  ports: SubmitLookAheadPorts,
  body: LookAheadBody,
  receivedAtMs: number,
  actor: Actor = { role: "anm", principalId: "anm" },
): Promise<{ cycle: Cycle; replayed: boolean }> {
  const cycleId = cycleIdOf(body.anmSchemeId, body.lookAheadId);
  const bodyHash = bodyHashOf(body);

  const existing = await ports.cycles.getCycle(cycleId);
  if (existing) {
    if (existing.bodyHash !== bodyHash) throw new LookAheadConflictError(body.lookAheadId);
    if (existing.executionArn || existing.status === "superseded")
      return { cycle: existing, replayed: true };
    // Stored by an earlier request that stopped before its execution was started.
    return { cycle: await startNextAttempt(ports, existing), replayed: true };
  }

  const settings = await dayConfiguration(ports, body, receivedAtMs);
  const schemeVersion = settings?.version;
  const claim = await ports.cycles.claimLookAhead({
    lookAheadId: `${body.anmSchemeId}#${body.lookAheadId}`,
    bodyHash,
    cycleId,
    receivedAtMs,
  });
  if (!claim.created && claim.bodyHash !== bodyHash)
    throw new LookAheadConflictError(body.lookAheadId);
  await ports.cycles.saveLookAhead(cycleId, body);

  const gateClosureMs = gateClosureMsOf(body, marketConfigOf(settings).gateClosure);
  const at = recordInstant(receivedAtMs);
  for (let tries = 0; tries < SWITCH_TRIES; tries += 1) {
    const { replaced, newer } = await replaceable(ports, body, cycleId, receivedAtMs);
    const base: Cycle = {
      cycleId,
      lookAheadId: body.lookAheadId,
      anmSchemeId: body.anmSchemeId,
      deliveryDate: body.deliveryDate,
      status: "running",
      gateClosureMs,
      bodyHash,
      createdAtMs: receivedAtMs,
      ...(schemeVersion === undefined ? {} : { schemeVersion }),
    };
    const accepted: AuditEntry = {
      subject: cycleId,
      action: "look-ahead.accepted",
      actor,
      at,
      to: newer ? "superseded" : "running",
      reason: `look-ahead ${body.lookAheadId}`,
    };
    // D-130: a look-ahead received before the day's current one (they raced) is superseded by it
    // at once, as if it had arrived first: the latest received look-ahead of the day stands.
    const cycle: Cycle = newer
      ? { ...base, status: "superseded", supersededBy: newer }
      : { ...base, ...(replaced ? { supersedes: replaced.cycleId } : {}) };
    const audit: AuditEntry[] = [
      accepted,
      ...(newer
        ? [
            {
              subject: cycleId,
              action: "cycle.superseded",
              actor,
              at,
              from: "running",
              to: "superseded",
              reason: `cycle ${newer} was received later (R-IN-3)`,
            },
          ]
        : []),
      ...(replaced?.status
        ? [
            {
              subject: replaced.cycleId,
              action: "cycle.superseded",
              actor,
              at,
              from: replaced.status,
              to: "superseded",
              reason: `superseded by cycle ${cycleId} (look-ahead ${body.lookAheadId})`,
            },
          ]
        : []),
    ];
    const { outcome } = await ports.cycles.beginCycle(cycle, replaced, receivedAtMs, audit);
    if (outcome === "moved") continue;
    const stored = outcome === "exists" ? await ports.cycles.getCycle(cycleId) : cycle;
    if (!stored) continue;
    if (outcome === "begun" && replaced) await stopExecutionOf(ports, replaced.cycleId, cycleId);
    if (stored.executionArn || stored.status === "superseded")
      return { cycle: stored, replayed: outcome === "exists" };
    return { cycle: await startNextAttempt(ports, stored), replayed: outcome === "exists" };
  }
  // Fifty other look-aheads of the same day became current while this one tried: contention.
  throw new TemporarilyUnavailableError("contention");
}

/**
 * What a new look-ahead meets on its scheme's day (R-IN-3, D-130): the current cycle it would
 * replace (none when there is none, or when the pointer already names this cycle — a replay after
 * a restore), or — when the current cycle's look-ahead was received after this one — that newer
 * cycle, which this one does not replace. After the current cycle's gate closure a new look-ahead
 * is 409 GATE_CLOSED.
 */
async function replaceable(
  ports: SubmitLookAheadPorts,
  body: LookAheadBody,
  cycleId: string,
  receivedAtMs: number,
): Promise<{ replaced?: Replaced; newer?: string }> {
  const current = await ports.cycles.currentCycle(body.anmSchemeId, body.deliveryDate);
  if (!current || current.cycleId === cycleId) return {};
  if (receivedAtMs >= current.gateClosureMs) throw new GateClosedError();
  const theirs = current.receivedAtMs ?? 0;
  if (theirs > receivedAtMs || (theirs === receivedAtMs && current.cycleId > cycleId))
    return { newer: current.cycleId };
  const old = await ports.cycles.getCycle(current.cycleId);
  // A pointer to a cycle whose item is gone (a restore that lost it): only the pointer moves.
  return { replaced: { cycleId: current.cycleId, status: old?.status } };
}

/** Stops the replaced cycle's current execution, if it has one (R-IN-3). */
async function stopExecutionOf(
  ports: SubmitLookAheadPorts,
  replacedId: string,
  byCycleId: string,
): Promise<void> {
  const old = await ports.cycles.getCycle(replacedId);
  if (old?.executionArn)
    await ports.workflow.stop(old.executionArn, `superseded by cycle ${byCycleId}`);
}
