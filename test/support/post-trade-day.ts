import { marketConfigOf } from "../../functions/core/config/market-config";
import {
  DEFAULT_POST_TRADE_CONFIG,
  type PostTradeConfig,
} from "../../functions/core/config/post-trade-config";
import type { PlatformEvent } from "../../functions/core/events/platform-event";
import { LookAheadSchema, toLookAhead } from "../../functions/core/model/look-ahead";
import { deliveryDay } from "../../functions/core/model/settlement-periods";
import { deriveOpportunities } from "../../functions/core/opportunities/derive";
import type { Order, ServiceType } from "../../functions/core/orders/order";
import {
  type ActualsBody,
  type ActualsRecord,
  acceptActuals,
} from "../../functions/core/performance/actuals";
import type { PostDeliveryInputs } from "../../functions/core/performance/day-context";
import {
  type MeterUpload,
  meterDaysOfJson,
  uploadIdOf,
} from "../../functions/core/performance/meter-readings";
import { matchDay } from "../../functions/core/use-cases/day-ahead";
import type { PostTradeDay } from "../../functions/core/verification/day";
import { membershipOf } from "../../functions/core/verification/membership";
import { publishedDay } from "../../functions/core/verification/published-day";
import { type ConstraintSpec, claimsFor, lookAheadBody } from "./look-ahead-builder";

/** An order for {@link tradedDay}: placed on the entry's opportunity on that side. */
export interface OrderSpec {
  entryId: string;
  side: "buy" | "sell";
  mw: number;
  availability: number;
  utilisation: number;
  serviceType?: ServiceType;
  /** Names the market when the entry has opportunities in several. */
  constraintId?: string;
}

/**
 * A published day for tests: the look-ahead built from `constraints`, entries owned as given,
 * the orders matched at gate closure (R-MATCH) and version 1 published (D-28). Orders are
 * submitted in list order.
 */
export function tradedDay(spec: {
  date: string;
  constraints: ConstraintSpec[];
  owners: Record<string, string>;
  orders: OrderSpec[];
}): { day: PostTradeDay; events: PlatformEvent[] } {
  const lookAhead = toLookAhead(LookAheadSchema.parse(lookAheadBody(spec.date, spec.constraints)));
  const claims = claimsFor(spec.owners);
  const book = deriveOpportunities(lookAhead, claims, marketConfigOf());
  const serviceTypes = new Map<string, ServiceType>();
  const orders = spec.orders.map((o, i): Order => {
    const opp = book.opportunities.find(
      (x) =>
        x.entryId === o.entryId &&
        x.side === o.side &&
        (o.constraintId === undefined || x.constraintId === o.constraintId),
    );
    if (!opp) throw new Error(`no ${o.side} opportunity for ${o.entryId}`);
    const order: Order = {
      orderId: `o${String(i).padStart(2, "0")}`,
      marketId: opp.marketId,
      participantId: spec.owners[o.entryId]!,
      entryId: o.entryId,
      side: o.side,
      quantityKw: Math.round(o.mw * 1000),
      availabilityPence: Math.round(o.availability * 100),
      utilisationPence: Math.round(o.utilisation * 100),
      submittedAtMs: i,
    };
    if (o.side === "sell") order.serviceType = o.serviceType ?? "generation-turn-down";
    return order;
  });
  const trades = matchDay(book, orders);
  for (const t of trades)
    serviceTypes.set(t.tradeId, orders.find((o) => o.orderId === t.sellOrderId)!.serviceType!);
  return publishedDay({
    lookAhead,
    book,
    trades,
    serviceTypes,
    owners: new Map(Object.entries(spec.owners)),
    publishedAtMs: lookAhead.gateClosureMs,
  });
}

/** `n` values of a day, `base` everywhere except the 1-based SPs given. */
export function perSp(date: string, base: number, at: Record<number, number> = {}): number[] {
  return deliveryDay(date).periods.map((p) => at[p.sp] ?? base);
}

/** ANM actuals received just after the day (R-PERF-1), accepted through the core's checks. */
export function actualsOf(
  day: PostTradeDay,
  body: Omit<ActualsBody, "anmSchemeId" | "deliveryDate">,
  id = "ACT-1",
): ActualsRecord {
  return acceptActuals(
    {
      ...body,
      actualsId: body.actualsId ?? id,
      anmSchemeId: day.lookAhead.anmSchemeId,
      deliveryDate: day.lookAhead.deliveryDate,
    },
    day,
    membershipOf(day.lookAhead, day.changes),
    day.lookAhead.day.endMs + 3_600_000,
  );
}

/** A JSON meter upload of one entry's day in kW (R-PERF-2). */
export function meterUpload(input: {
  entryId: string;
  date: string;
  direction: "export" | "import";
  kw: (number | null)[];
  receivedAtMs: number;
  byOperator?: boolean;
}): MeterUpload {
  const days = meterDaysOfJson({
    readings: [
      {
        anmSchemeId: "TEST-ANM",
        entryId: input.entryId,
        deliveryDate: input.date,
        direction: input.direction,
        unit: "kW",
        values: input.kw,
      },
    ],
  });
  return {
    uploadId: uploadIdOf(input.receivedAtMs, days),
    receivedAtMs: input.receivedAtMs,
    byOperator: input.byOperator ?? false,
    days,
  };
}

/** Post-delivery inputs with defaults: nothing held, §18 config, as of a week after the day. */
export function inputsOf(
  day: PostTradeDay,
  extra: Partial<PostDeliveryInputs> = {},
): PostDeliveryInputs {
  return {
    day,
    actuals: [],
    uploads: [],
    nominations: [],
    eventDays: new Map(),
    config: DEFAULT_POST_TRADE_CONFIG as PostTradeConfig,
    asOfMs: day.lookAhead.day.endMs + 7 * 86_400_000,
    ...extra,
  };
}
