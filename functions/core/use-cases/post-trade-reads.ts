import type { Caller } from "../access/roles";
import { mayActForScheme } from "../access/scheme-access";
import {
  curtailmentIndexRows,
  type DayCurtailment,
  dayCurtailment,
} from "../curtailment-index/ledger";
import { NotFoundError } from "../errors";
import { addDays, financialYearBounds, localDateOf } from "../model/calendar";
import { type Page, type PageRequest, pageOf } from "../model/paging";
import { type DayContext, dayContextOf } from "../performance/day-context";
import { type Direction, meterBookOf } from "../performance/meter-readings";
import { type DayPerformance, dayPerformance } from "../performance/performance";
import type { AssetStore, CurtailmentLedgerStore, SchemeDay } from "../ports";
import type { PostTradeDay } from "../verification/day";
import {
  dayInputsOf,
  type PostTradeInputPorts,
  postTradeConfigFor,
  publishedDayOf,
  publishedSchemeDays,
  schemeDayKey,
} from "./post-trade-day";
import { entryKey, ownEntries } from "./post-trade-inputs";
import {
  actualsHeldView,
  baselineView,
  curtailmentIndexView,
  meterReadingsView,
  performanceViews,
  thirdPartyImpactView,
} from "./post-trade-views";

/**
 * What the routes after delivery read (docs/api.md "Participants' data", "Curtailment
 * Index", `GET /anm/actuals`): each figure computed by the same core rules and shaped by the same
 * views as `npm run simulate -- --post-trade`, from the inputs held now. A participant reads only
 * its own: its trades' performance in its role (the buyer's view without the seller's meter and
 * baseline data), its own entries' readings, baselines and index rows; anything else is 404.
 */
export interface PostTradeReadPorts extends PostTradeInputPorts {
  assets: Pick<AssetStore, "getMany" | "list">;
  ledger: CurtailmentLedgerStore;
}

/** One scheme-day computed from its inputs as held at `asOfMs`. */
interface ComputedDay {
  day: PostTradeDay;
  ctx: DayContext;
  performance: DayPerformance;
}

async function computed(
  ports: PostTradeReadPorts,
  key: SchemeDay,
  asOfMs: number,
): Promise<ComputedDay | undefined> {
  const published = await publishedDayOf(ports, key);
  if (!published) return undefined;
  const ctx = dayContextOf(await dayInputsOf(ports, published.day, asOfMs));
  return { day: published.day, ctx, performance: dayPerformance(ctx) };
}

async function computedDays(ports: PostTradeReadPorts, deliveryDate: string, asOfMs: number) {
  const out: ComputedDay[] = [];
  for (const key of await publishedSchemeDays(ports, [deliveryDate])) {
    const day = await computed(ports, key, asOfMs);
    if (day) out.push(day);
  }
  return out;
}

/** `GET /anm/actuals?anmSchemeId=&deliveryDate=` (anm, operator): the values held (R-PERF-1). */
export async function getActuals(ports: PostTradeReadPorts, key: SchemeDay) {
  if (!(await publishedDayOf(ports, key)))
    throw new NotFoundError(`A published day-ahead for ${key.anmSchemeId} on ${key.deliveryDate}`);
  return actualsHeldView(key, await ports.actuals.ofDay(key));
}

/**
 * `GET /performance?deliveryDate=` (R-PERF, D-76): one item per trade and role, not vetoed, in
 * (deliveryDate, tradeId, role) order; a participant gets its own role's items only.
 */
export async function listPerformance(
  ports: PostTradeReadPorts,
  caller: Caller,
  deliveryDate: string,
  asOfMs: number,
  page: PageRequest,
): Promise<Page<ReturnType<typeof performanceViews>[number]>> {
  const items = (await computedDays(ports, deliveryDate, asOfMs)).flatMap(({ day, performance }) =>
    performance.trades.flatMap((p) =>
      performanceViews(day, p).filter(
        (item) =>
          caller.role !== "participant" ||
          (item.role === "buyer"
            ? p.trade.trade.buyParticipantId
            : p.trade.trade.sellParticipantId) === caller.principalId,
      ),
    ),
  );
  return pageOf(items, page, {
    list: "performance",
    scope: deliveryDate,
    keyTypes: ["string", "string"],
    keyOf: (i) => [i.tradeId, i.role],
  });
}

/** `GET /third-party-impacts?deliveryDate=` (operator, R-PERF-10): by start, constraint, entry. */
export async function listThirdPartyImpacts(
  ports: PostTradeReadPorts,
  deliveryDate: string,
  asOfMs: number,
  page: PageRequest,
) {
  const items = (await computedDays(ports, deliveryDate, asOfMs)).flatMap(({ day, performance }) =>
    performance.impacts.map((x) => ({
      anmSchemeId: day.lookAhead.anmSchemeId,
      ...thirdPartyImpactView(day, x),
    })),
  );
  return pageOf(items, page, {
    list: "third-party-impacts",
    scope: deliveryDate,
    keyTypes: ["string", "string", "string", "string"],
    keyOf: (i) => [i.start, i.anmSchemeId, i.constraintId, i.entryId],
  });
}

/**
 * `GET /baselines?deliveryDate=&entryId=` (R-PERF-3..5): per scheme-day, the entries of its MOLs
 * that sell in a trade or have a nomination that day (or the entry asked for), in entry order.
 * A participant sees its own entries; asking for another's (or an unknown) entry is 404.
 */
export async function listBaselines(
  ports: PostTradeReadPorts,
  caller: Caller,
  query: { deliveryDate: string; entryId?: string | undefined },
  asOfMs: number,
  page: PageRequest,
) {
  const own =
    caller.role === "participant" ? await ownEntries(ports, caller.principalId) : undefined;
  const items: ReturnType<typeof baselineView>[] = [];
  let found = false;
  for (const { day, ctx } of await computedDays(ports, query.deliveryDate, asOfMs)) {
    const scheme = day.lookAhead.anmSchemeId;
    const inMol = new Set(
      [...day.lookAhead.mols.values()].flatMap((m) => m.entries.map((e) => e.entryId)),
    );
    const entries = new Set<string>();
    for (const t of day.trades) if (t.status !== "vetoed") entries.add(t.trade.sellEntryId);
    for (const n of ctx.inputs.nominations) entries.add(n.entryId);
    const wanted = [...(query.entryId ? [query.entryId] : entries)]
      .filter((e) => inMol.has(e) && (!own || own.has(entryKey(scheme, e))))
      .sort();
    if (query.entryId && wanted.length > 0) found = true;
    for (const e of wanted) items.push(baselineView(ctx, e));
  }
  if (query.entryId && !found) throw new NotFoundError(`Entry ${query.entryId}`);
  return pageOf(items, page, {
    list: "baselines",
    scope: `${query.deliveryDate}/${query.entryId ?? ""}`,
    keyTypes: ["string", "string"],
    keyOf: (i) => [i.anmSchemeId, i.entryId],
  });
}

/**
 * `GET /meter-readings?entryId=&deliveryDate=&direction=` (R-PERF-2): per scheme and direction,
 * the reading that counts in each SP, with its receivedAt and uploadId. A participant may ask
 * only for its own entries (404 otherwise).
 */
export async function listMeterReadings(
  ports: PostTradeReadPorts,
  caller: Caller,
  query: { entryId: string; deliveryDate: string; direction?: Direction | undefined },
  asOfMs: number,
) {
  const own =
    caller.role === "participant" ? await ownEntries(ports, caller.principalId) : undefined;
  const schemesOwned = own
    ? [...own].filter((k) => k.endsWith(`\u0000${query.entryId}`)).map((k) => k.split("\u0000")[0]!)
    : undefined;
  if (schemesOwned && schemesOwned.length === 0) throw new NotFoundError(`Entry ${query.entryId}`);
  const uploads = await ports.meters.ofEntry(query.entryId, query.deliveryDate, query.deliveryDate);
  const schemes = [...new Set(uploads.flatMap((u) => u.days.map((d) => d.anmSchemeId)))]
    .filter((s) => !schemesOwned || schemesOwned.includes(s))
    .sort();
  const items = [];
  for (const anmSchemeId of schemes) {
    const config = await postTradeConfigFor(ports, {
      anmSchemeId,
      deliveryDate: query.deliveryDate,
    });
    const ofScheme = uploads.map((u) => ({
      ...u,
      days: u.days.filter((d) => d.anmSchemeId === anmSchemeId),
    }));
    const book = meterBookOf(ofScheme, asOfMs, config.meterDataDeadlineDays);
    for (const direction of query.direction ? [query.direction] : (["export", "import"] as const)) {
      const view = meterReadingsView(book, {
        anmSchemeId,
        entryId: query.entryId,
        deliveryDate: query.deliveryDate,
        direction,
      });
      if (view.readings.length > 0) items.push(view);
    }
  }
  return { items };
}

/**
 * `GET /curtailment-index?financialYear=&entryId=` (R-CI): one row per entry of each scheme for
 * the year, summed over its days with a published day-ahead so far. Each day's contribution is
 * stored with the input revision it was computed from and recomputed when that moved (R-CI-3:
 * rows are derived, D-228). A participant reads its own entries (another's entry: 404).
 */
export async function curtailmentIndex(
  ports: PostTradeReadPorts,
  caller: Caller,
  query: { financialYear: string; entryId?: string | undefined },
  nowMs: number,
  page: PageRequest,
) {
  const bounds = financialYearBounds(query.financialYear)!;
  const own =
    caller.role === "participant" ? await ownEntries(ports, caller.principalId) : undefined;
  if (own && query.entryId && ![...own].some((k) => k.endsWith(`\u0000${query.entryId}`)))
    throw new NotFoundError(`Entry ${query.entryId}`);
  const today = localDateOf(nowMs);
  const last = bounds.to < today ? bounds.to : today;
  const dates: string[] = [];
  for (let d = bounds.from; d <= last; d = addDays(d, 1)) dates.push(d);
  // D-195: an ANM key bound to a scheme reads that scheme's entries only (D-231).
  const keys = (await publishedSchemeDays(ports, dates)).filter(
    (k) => caller.role !== "anm" || mayActForScheme(caller, k.anmSchemeId),
  );
  const held = await ports.ledger.days(keys);
  const contributions: DayCurtailment[] = [];
  for (const key of keys) {
    const h = held.get(schemeDayKey(key));
    if (h?.stored && h.stored.rev === h.rev) {
      contributions.push(h.stored.day);
      continue;
    }
    const day = await computed(ports, key, nowMs);
    if (!day) continue;
    const contribution = dayCurtailment(day.ctx, day.performance);
    await ports.ledger.put({ rev: h?.rev ?? 0, day: contribution });
    contributions.push(contribution);
  }
  const rows = curtailmentIndexRows(contributions).filter(
    (r) =>
      (!query.entryId || r.entryId === query.entryId) &&
      (!own || own.has(entryKey(r.anmSchemeId, r.entryId))),
  );
  return pageOf(
    rows.map((r) => curtailmentIndexView(r, nowMs)),
    page,
    {
      list: "curtailment-index",
      scope: `${query.financialYear}/${query.entryId ?? ""}`,
      keyTypes: ["string", "string"],
      keyOf: (r) => [r.anmSchemeId, r.entryId],
    },
  );
}
