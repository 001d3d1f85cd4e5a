import { hash } from "node:crypto";
import { marketConfigOf } from "../config/market-config";
import { GateClosedError, LookAheadConflictError } from "../errors";
import { deterministicId } from "../model/ids";
import { checkGateClosureNotPast, gateClosureMsOf, type LookAheadBody } from "../model/look-ahead";
import type { Cycle, CycleStore, SchemeStore, WorkflowStarter } from "../ports";
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
 * D-190: the scheme configuration a new look-ahead's day runs under. The day is marked as having
 * a look-ahead first, so no version can be added for it afterwards: the version read here is the
 * one every later step of the day reads.
 */
async function dayConfiguration(ports: SubmitLookAheadPorts, body: LookAheadBody) {
  await ports.schemes.markDayInUse(body.anmSchemeId, body.deliveryDate);
  const settings = await ports.schemes.settingsFor(body.anmSchemeId, body.deliveryDate);
  return { version: settings?.version, gateClosure: marketConfigOf(settings).gateClosure };
}

/**
 * `POST /anm/look-aheads` after validation: R-IN-1 (gate closure not in the past), R-IN-2
 * (idempotent on `lookAheadId`: same body → the original cycle, other body → 409), R-IN-3
 * (before gate closure a new look-ahead supersedes the scheme's day; after it, 409). Stores the
 * look-ahead under its cycle and starts one execution named after the cycle. Every write is
 * conditional or idempotent, so a replay after a crash finishes the job and never doubles it.
 */
export async function submitLookAhead(
  ports: SubmitLookAheadPorts,
  body: LookAheadBody,
  receivedAtMs: number,
): Promise<{ cycle: Cycle; replayed: boolean }> {
  const cycleId = cycleIdOf(body.anmSchemeId, body.lookAheadId);
  const bodyHash = bodyHashOf(body);

  const existing = await ports.cycles.getCycle(cycleId);
  if (existing) {
    if (existing.bodyHash !== bodyHash) throw new LookAheadConflictError(body.lookAheadId);
    if (existing.executionArn) return { cycle: existing, replayed: true };
  }

  const day = await dayConfiguration(ports, body);
  checkGateClosureNotPast(body, receivedAtMs, day.gateClosure);
  const current = await ports.cycles.currentCycle(body.anmSchemeId, body.deliveryDate);
  if (current && current.cycleId !== cycleId && receivedAtMs >= current.gateClosureMs)
    throw new GateClosedError();

  const claim = await ports.cycles.claimLookAhead({
    lookAheadId: `${body.anmSchemeId}#${body.lookAheadId}`,
    bodyHash,
    cycleId,
    receivedAtMs,
  });
  if (!claim.created && claim.bodyHash !== bodyHash)
    throw new LookAheadConflictError(body.lookAheadId);

  await ports.cycles.saveLookAhead(cycleId, body);
  const gateClosureMs = gateClosureMsOf(body, day.gateClosure);
  const cycle = await ports.cycles.createCycle({
    cycleId,
    lookAheadId: body.lookAheadId,
    anmSchemeId: body.anmSchemeId,
    deliveryDate: body.deliveryDate,
    status: "running",
    gateClosureMs,
    bodyHash,
    createdAtMs: receivedAtMs,
    ...(day.version === undefined ? {} : { schemeVersion: day.version }),
    ...(current && current.cycleId !== cycleId ? { supersedes: current.cycleId } : {}),
  });
  if (cycle.status !== "running" || cycle.executionArn) return { cycle, replayed: !claim.created };

  // R-IN-3: become the scheme's current cycle for the day, superseding the previous one.
  let expected = current?.cycleId;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (expected === cycleId) break;
    if (
      await ports.cycles.switchCurrent(
        body.anmSchemeId,
        body.deliveryDate,
        { cycleId, gateClosureMs },
        expected,
        receivedAtMs,
      )
    )
      break;
    const now = await ports.cycles.currentCycle(body.anmSchemeId, body.deliveryDate);
    if (now && now.cycleId !== cycleId && receivedAtMs >= now.gateClosureMs)
      throw new GateClosedError();
    expected = now?.cycleId;
  }
  const previous = cycle.supersedes;
  if (previous) {
    await ports.cycles.updateCycle(previous, { status: "superseded", supersededBy: cycleId }, [
      "running",
      "markets-open",
    ]);
    const old = await ports.cycles.getCycle(previous);
    if (old?.executionArn)
      await ports.workflow.stop(old.executionArn, `superseded by look-ahead ${body.lookAheadId}`);
  }

  return { cycle: await startNextAttempt(ports, cycle), replayed: !claim.created };
}
