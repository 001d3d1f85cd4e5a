import type { Actor, Caller } from "../access/roles";
import { mayActForScheme } from "../access/scheme-access";
import type { SchemeVersionBody } from "../config/scheme-config";
import { ConflictError, NotFoundError, TemporarilyUnavailableError } from "../errors";
import { type Page, type PageRequest, pageOf } from "../model/paging";
import { recordInstant } from "../model/settlement-periods";
import type { Clock, SchemeRecord, SchemeStore } from "../ports";

export interface SchemePorts {
  clock: Clock;
  schemes: SchemeStore;
}

/** Attempts of {@link putSchemeVersion} when another version lands between its read and write. */
const MAX_ATTEMPTS = 5;

/** Canonical JSON (keys sorted), so that two equal configurations compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/**
 * `PUT /schemes/{anmSchemeId}` (operator): stores the scheme's next configuration version
 * (D-190, D-191). A body equal to the latest version (name, `effectiveFrom`, config) stores
 * nothing and answers that version again, so a retried PUT never adds a version. A version whose
 * `effectiveFrom` is on or before a day that already has a look-ahead is 409
 * `SCHEME_VERSION_IN_USE`: the days that have run keep the version they ran under.
 */
export async function putSchemeVersion(
  ports: SchemePorts,
  anmSchemeId: string,
  body: SchemeVersionBody,
  actor: Actor,
): Promise<{ created: boolean; scheme: SchemeRecord }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const current = await ports.schemes.get(anmSchemeId);
    const latest = current?.versions.at(-1);
    if (
      current !== undefined &&
      latest !== undefined &&
      current.name === body.name &&
      latest.effectiveFrom === body.effectiveFrom &&
      canonical(latest.config) === canonical(body.config)
    )
      return { created: false, scheme: current };
    const outcome = await ports.schemes.putVersion(
      {
        anmSchemeId,
        name: body.name,
        effectiveFrom: body.effectiveFrom,
        config: body.config,
        at: recordInstant(ports.clock.nowMs()),
        actor,
      },
      latest?.version,
    );
    if (outcome.outcome === "in-use")
      throw new ConflictError(
        "SCHEME_VERSION_IN_USE",
        `Delivery days up to ${outcome.usedThrough} already have a look-ahead under an earlier version; effectiveFrom must be after ${outcome.usedThrough}.`,
        [{ path: "effectiveFrom", message: `must be after ${outcome.usedThrough}` }],
      );
    if (outcome.outcome === "stored") {
      const stored = await ports.schemes.get(anmSchemeId);
      if (stored === undefined) throw new Error("scheme vanished after its version was stored");
      return { created: current === undefined, scheme: stored };
    }
  }
  throw new TemporarilyUnavailableError("contention");
}

/** `GET /schemes/{anmSchemeId}` (operator; anm: the scheme its key is bound to). */
export async function getScheme(
  ports: Pick<SchemePorts, "schemes">,
  caller: Caller,
  anmSchemeId: string,
): Promise<SchemeRecord> {
  const scheme = mayActForScheme(caller, anmSchemeId)
    ? await ports.schemes.get(anmSchemeId)
    : undefined;
  if (scheme === undefined) throw new NotFoundError(`Scheme ${anmSchemeId}`);
  return scheme;
}

/**
 * `GET /schemes` (operator: every registered scheme; anm: the schemes its key may act for), by
 * scheme id, a page at a time.
 */
export async function listSchemes(
  ports: Pick<SchemePorts, "schemes">,
  caller: Caller,
  page: PageRequest,
): Promise<Page<SchemeRecord>> {
  if (caller.role === "anm" && caller.anmSchemeId !== undefined) {
    const own = await ports.schemes.get(caller.anmSchemeId);
    return pageOf(own ? [own] : [], page, {
      list: "schemes",
      scope: caller.anmSchemeId,
      keyTypes: ["string"],
      keyOf: (s) => [s.anmSchemeId],
    });
  }
  return ports.schemes.list(page);
}
