import { tradeIdOf } from "../model/ids";
import type { Order } from "../orders/order";

/** A trade (R-MATCH-3/4): a quantity moved from a bid's entry to an offer's entry. */
export interface Trade {
  tradeId: string;
  marketId: string;
  /** 0-based position in the market's matching order (R-REORDER-2/3 use it). */
  sequence: number;
  buyOrderId: string;
  sellOrderId: string;
  buyEntryId: string;
  sellEntryId: string;
  buyParticipantId: string;
  sellParticipantId: string;
  quantityKw: number;
  /** Pay-as-offer (R-MATCH-4), pence. */
  availabilityPence: number;
  utilisationPence: number;
}

/**
 * R-MATCH-4/5: the trade of `quantityKw` between a bid and an offer, at the offer's prices; its
 * id derives from (market, bid, offer) (D-1) unless the caller already has it.
 */
export function tradeOf(
  marketId: string,
  sequence: number,
  bid: Order,
  offer: Order,
  quantityKw: number,
  tradeId = tradeIdOf(marketId, bid.orderId, offer.orderId),
): Trade {
  return {
    tradeId,
    marketId,
    sequence,
    buyOrderId: bid.orderId,
    sellOrderId: offer.orderId,
    buyEntryId: bid.entryId,
    sellEntryId: offer.entryId,
    buyParticipantId: bid.participantId,
    sellParticipantId: offer.participantId,
    quantityKw,
    availabilityPence: offer.availabilityPence,
    utilisationPence: offer.utilisationPence,
  };
}

/**
 * What re-ordering reads of a list of trades in matching order, by position `k`: the bid and the
 * offer (as positions among `bidCount` bids and `offerCount` offers, so that trades of one order
 * share them), their entries, the quantity and the id. Either the columns matching made
 * ({@link MarketTrades}) or a list of trade records ({@link tradeColumnsOf}).
 */
export interface TradeColumns {
  readonly length: number;
  readonly quantityKw: ArrayLike<number>;
  readonly bid: ArrayLike<number>;
  readonly offer: ArrayLike<number>;
  readonly bidCount: number;
  readonly offerCount: number;
  bidEntryId(bid: number): string;
  offerEntryId(offer: number): string;
  tradeId(k: number): string;
}

/**
 * The trades of one market as matching makes them (D-120): per trade the bid's and the offer's
 * position among the market's bids and offers and the quantity, in typed arrays. The R-MATCH-5 id is derived
 * once, when first asked for (a slice id, a trade record); {@link toTrades} gives the records.
 */
export class MarketTrades implements TradeColumns {
  /** The ids derived so far, by trade. */
  private ids: (string | undefined)[] | undefined;

  constructor(
    readonly marketId: string,
    /** The market's bids and offers, each side as its R-MATCH-1 `Ranking` holds them. */
    readonly bids: ReadonlyArray<Order>,
    readonly offers: ReadonlyArray<Order>,
    /** Per trade, in matching order: the bid's position in `bids`, the offer's in `offers`. */
    readonly bid: Int32Array,
    readonly offer: Int32Array,
    readonly quantityKw: Float64Array,
  ) {}

  get length(): number {
    return this.bid.length;
  }

  get bidCount(): number {
    return this.bids.length;
  }

  get offerCount(): number {
    return this.offers.length;
  }

  bidEntryId(bid: number): string {
    return this.bids[bid]!.entryId;
  }

  offerEntryId(offer: number): string {
    return this.offers[offer]!.entryId;
  }

  /** R-MATCH-5 (D-1): SHA-256 derived, once per trade. */
  tradeId(k: number): string {
    this.ids ??= new Array(this.length);
    const known = this.ids[k];
    if (known !== undefined) return known;
    const id = tradeIdOf(
      this.marketId,
      this.bids[this.bid[k]!]!.orderId,
      this.offers[this.offer[k]!]!.orderId,
    );
    this.ids[k] = id;
    return id;
  }

  /** The record of trade `k`. */
  trade(k: number): Trade {
    return tradeOf(
      this.marketId,
      k,
      this.bids[this.bid[k]!]!,
      this.offers[this.offer[k]!]!,
      this.quantityKw[k]!,
      this.tradeId(k),
    );
  }

  /** Every trade's record, in matching order. */
  toTrades(): Trade[] {
    const out: Trade[] = new Array(this.length);
    for (let k = 0; k < out.length; k += 1) out[k] = this.trade(k);
    return out;
  }
}

/** Trade records read as {@link TradeColumns}: each trade its own bid and offer. */
export function tradeColumnsOf(trades: ReadonlyArray<Trade>): TradeColumns {
  const n = trades.length;
  const quantityKw = new Float64Array(n);
  const own = new Int32Array(n);
  for (let k = 0; k < n; k += 1) {
    quantityKw[k] = trades[k]!.quantityKw;
    own[k] = k;
  }
  return {
    length: n,
    quantityKw,
    bid: own,
    offer: own,
    bidCount: n,
    offerCount: n,
    bidEntryId: (k) => trades[k]!.buyEntryId,
    offerEntryId: (k) => trades[k]!.sellEntryId,
    tradeId: (k) => trades[k]!.tradeId,
  };
}
