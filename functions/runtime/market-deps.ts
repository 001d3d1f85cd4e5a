import { AssetRepository } from "../adapters/asset-repository";
import { AuditLog } from "../adapters/audit-log";
import { systemClock } from "../adapters/clock";
import { CycleRepository } from "../adapters/cycle-repository";
import { EntryClaims } from "../adapters/entry-claims";
import { MarketRepository } from "../adapters/market-repository";
import { MeritOrderRepository } from "../adapters/merit-order-repository";
import { OrderRepository } from "../adapters/order-repository";
import { OutboxRepository } from "../adapters/outbox-repository";
import { ParticipantRepository } from "../adapters/participant-repository";
import { TradeRepository } from "../adapters/trade-repository";
import type { Clock } from "../core/ports";
import type { CyclePorts } from "../core/use-cases/cycle-steps";
import type { SubmitLookAheadPorts } from "../core/use-cases/submit-look-ahead";
import type { TradingPorts } from "../core/use-cases/trading";
import { dynamoDocumentClient } from "./clients";
import { deps } from "./deps";
import { required } from "./env";

/**
 * Composition root of the day-ahead market: the ports of the use cases, built lazily once per
 * execution environment. `clock` can be replaced by tests (gate-closure boundaries).
 */
function table() {
  return { client: dynamoDocumentClient(), name: required("TABLE_NAME") };
}

let built:
  | {
      cycles: CycleRepository;
      markets: MarketRepository;
      orders: OrderRepository;
      trades: TradeRepository;
      meritOrders: MeritOrderRepository;
      outbox: OutboxRepository;
    }
  | undefined;

function repositories() {
  if (!built) {
    const { client, name } = table();
    built = {
      cycles: new CycleRepository(client, name),
      markets: new MarketRepository(client, name),
      orders: new OrderRepository(client, name),
      trades: new TradeRepository(client, name),
      meritOrders: new MeritOrderRepository(client, name),
      outbox: new OutboxRepository(client, name),
    };
  }
  return built;
}

/** The clock every market use case reads; replaceable in tests. */
export const marketClock: { current: Clock } = { current: systemClock };
const clock: Clock = { nowMs: () => marketClock.current.nowMs() };

let entryClaims: EntryClaims | undefined;

/** R-ELIG-1 claims from the participants and assets registry. */
function claims(): EntryClaims {
  if (!entryClaims) {
    const { client, name } = table();
    const audit = new AuditLog(client, name);
    entryClaims = new EntryClaims(
      client,
      name,
      new AssetRepository(client, name, audit, new ParticipantRepository(client, name, audit)),
    );
  }
  return entryClaims;
}

export const marketDeps = {
  get lookAheads(): SubmitLookAheadPorts {
    return { cycles: repositories().cycles, workflow: deps.workflow };
  },
  get cycle(): CyclePorts {
    const r = repositories();
    return { clock, ...r, claims: claims() };
  },
  get trading(): TradingPorts {
    const r = repositories();
    const source = claims();
    return {
      clock,
      cycles: r.cycles,
      markets: r.markets,
      orders: r.orders,
      entryOwner: (scheme, entryId) => source.entryOwner(scheme, entryId),
    };
  },
  get repositories() {
    return repositories();
  },
  clock,
};
