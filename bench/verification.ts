import { DEFAULT_MARKET_CONFIG } from "../functions/core/config/market-config";
import { DEFAULT_POST_TRADE_CONFIG } from "../functions/core/config/post-trade-config";
import { LookAheadSchema, toLookAhead } from "../functions/core/model/look-ahead";
import { mwToKw } from "../functions/core/model/units";
import type { EntryClaim } from "../functions/core/opportunities/derive";
import { deriveOpportunities } from "../functions/core/opportunities/derive";
import type { Order } from "../functions/core/orders/order";
import { matchDay, reorderDay } from "../functions/core/use-cases/day-ahead";
import { publishedDay } from "../functions/core/verification/published-day";
import {
  type TopologyChangeBody,
  topologyChangeProblems,
  toTopologyChange,
} from "../functions/core/verification/topology-change";
import { applyTopologyChange } from "../functions/core/verification/verify";
import {
  type SyntheticScheme,
  syntheticEntryId,
  syntheticLookAhead,
  syntheticOrder,
} from "../lib/client/synthetic-scheme";
import { median } from "./random";

/**
 * The `verification` section: one topology change over a whole synthetic scheme (every
 * constraint listed; in every second constraint a third of the sellers move behind the next
 * constraint, so their trades are cancelled, R-VERIFY-3/4), applied by the core rule the
 * `TopologyChanges` consumer and `simulate --post-trade` run (`applyTopologyChange`: checks,
 * memberships, cancellations, re-publication of every changed constraint from the cancellation
 * SP with the neutrality check, the events). The bound is the re-order alone (`reorderDay`, R-REORDER)
 * of the same day: the changed MOLs with the trades still in force. Both in CPU time, in the same
 * process; the ratio is the figure (D-126).
 */
export interface VerificationScale {
  constraints: number;
  entriesPerConstraint: number;
  participants: number;
  runs: number;
}

export interface VerificationResult {
  entries: number;
  constraints: number;
  trades: number;
  cancelled: number;
  versions: number;
  events: number;
  /** The change applied to the published day (median CPU ms). */
  verifyMs: number;
  /** The re-order of the same MOLs with the remaining trades alone (median CPU ms). */
  reorderMs: number;
  ratio: number;
}

const cpuMs = (f: () => void): number => {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

export function benchVerification(
  scale: VerificationScale,
  log: (message: string) => void,
): VerificationResult {
  const scheme: SyntheticScheme = {
    anmSchemeId: "BENCH-VERIFY",
    deliveryDate: "2027-06-14",
    constraints: scale.constraints,
    entriesPerConstraint: scale.entriesPerConstraint,
    curtailedMw: Math.max(2, Math.floor(scale.entriesPerConstraint / 4)),
    fromSp: 24,
    toSp: 32,
  };
  const body = syntheticLookAhead(scheme, "2027-06-13T11:00:00Z");
  const lookAhead = toLookAhead(
    LookAheadSchema.parse({ ...body, issuedAt: "2027-06-13T08:00:00Z" }),
  );
  const claims = new Map<string, EntryClaim>();
  const owners = new Map<string, string>();
  for (const mol of lookAhead.mols.values())
    for (const [i, e] of mol.entries.entries()) {
      const participantId = `par-${i % scale.participants}`;
      claims.set(e.entryId, {
        entryId: e.entryId,
        participantId,
        assetId: `ast-${e.entryId}`,
        flexibleServiceWindows: [],
      });
      owners.set(e.entryId, participantId);
    }
  const book = deriveOpportunities(lookAhead, claims, DEFAULT_MARKET_CONFIG);
  const orders: Order[] = book.opportunities.map((o, k) => {
    const order = syntheticOrder(o, k, 1);
    return {
      orderId: `ord-${k}`,
      marketId: o.marketId,
      participantId: claims.get(o.entryId)!.participantId,
      entryId: o.entryId,
      side: o.side,
      quantityKw: mwToKw(order.quantityMw),
      availabilityPence: order.availabilityPrice * 100,
      utilisationPence: order.utilisationPrice * 100,
      ...(order.serviceType ? { serviceType: order.serviceType } : {}),
      submittedAtMs: k,
    };
  });
  const trades = matchDay(book, orders);
  const { day } = publishedDay({
    lookAhead,
    book,
    trades,
    serviceTypes: new Map(),
    owners,
    publishedAtMs: lookAhead.gateClosureMs,
  });
  log(
    `verification: ${lookAhead.mols.size} constraints, ${claims.size} entries, ${trades.length} trades`,
  );

  // The change: in every second constraint a third of the sellers (past the entries curtailed
  // first) move to the end of the next constraint's MOL.
  const sold = new Set(trades.map((t) => t.sellEntryId));
  const entriesOf = new Map<
    number,
    { entryId: string; resourceId: string; capacityMw: number }[]
  >();
  for (let c = 0; c < scheme.constraints; c += 1)
    entriesOf.set(
      c,
      Array.from({ length: scheme.entriesPerConstraint }, (_, i) => ({
        entryId: syntheticEntryId(c, i),
        resourceId: `R${c}-${i}`,
        capacityMw: 2,
      })),
    );
  for (let c = 0; c + 1 < scheme.constraints; c += 2) {
    const from = entriesOf.get(c)!;
    const moving = from.filter((e, i) => sold.has(e.entryId) && i % 3 === 0);
    entriesOf.set(
      c,
      from.filter((e) => !moving.includes(e)),
    );
    entriesOf.get(c + 1)!.push(...moving);
  }
  const change: TopologyChangeBody = {
    topologyChangeId: "TC-BENCH-1",
    anmSchemeId: scheme.anmSchemeId,
    deliveryDate: scheme.deliveryDate,
    effectiveFrom: "2027-06-14T12:40:00+01:00",
    constraints: [...entriesOf].map(([c, entries]) => ({
      constraintId: `C${c}`,
      entries: entries.map((e, i) => ({ ...e, curtailmentOrder: i + 1 })),
    })),
  };
  const problems = topologyChangeProblems(change, lookAhead);
  if (problems.length > 0)
    throw new Error(`the bench's change is invalid: ${JSON.stringify(problems.slice(0, 3))}`);
  const receivedAtMs = Date.parse("2027-06-14T12:41:05+01:00");
  const core = toTopologyChange(change, lookAhead);
  let out = applyTopologyChange(day, core, receivedAtMs, DEFAULT_POST_TRADE_CONFIG);

  // The bound: the same MOLs re-ordered with the trades still in force, nothing else.
  const changed = toLookAhead(
    LookAheadSchema.parse({
      ...body,
      issuedAt: "2027-06-13T08:00:00Z",
      mols: body.mols.map((m, c) => ({
        ...m,
        entries: entriesOf.get(c)!.map((e, i) => ({
          ...e,
          forecastMw: m.entries[0]!.forecastMw,
          curtailmentOrder: i + 1,
        })),
      })),
    }),
  );
  const cancelled = new Set(out.outcome.cancelledTrades.map((t) => t.tradeId));
  const remaining = trades.filter((t) => !cancelled.has(t.tradeId));

  const verify: number[] = [];
  const reorder: number[] = [];
  for (let r = 0; r < scale.runs; r += 1) {
    verify.push(
      cpuMs(() => {
        out = applyTopologyChange(day, core, receivedAtMs, DEFAULT_POST_TRADE_CONFIG);
      }),
    );
    reorder.push(cpuMs(() => reorderDay(changed, book, remaining)));
  }
  const verifyMs = median(verify);
  const reorderMs = median(reorder);
  const result: VerificationResult = {
    entries: claims.size,
    constraints: lookAhead.mols.size,
    trades: trades.length,
    cancelled: out.outcome.cancelledTrades.length,
    versions: out.outcome.publishedVersions.length,
    events: out.events.length,
    verifyMs: Math.round(verifyMs * 100) / 100,
    reorderMs: Math.round(reorderMs * 100) / 100,
    ratio: Math.round((verifyMs / reorderMs) * 100) / 100,
  };
  log(
    `verification: ${result.cancelled} trades cancelled, ${result.versions} versions; ${result.verifyMs} ms vs re-order ${result.reorderMs} ms (${result.ratio}×)`,
  );
  return result;
}
