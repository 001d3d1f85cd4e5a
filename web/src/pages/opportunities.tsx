import { useMemo } from "preact/hooks";
import { query } from "../api/client";
import type { Asset, Market, Opportunity } from "../api/types";
import { Badge } from "../components/cells";
import { Countdown } from "../components/countdown";
import { CurtailmentChart } from "../components/curtailment-chart";
import { columnsFor, LoadedTable } from "../components/data-table";
import { OrderForm } from "../components/order-form";
import { useLoad } from "../components/status";
import { useConsole } from "../context";
import { hrefOf, replaceParams } from "../router";
import { epochSeconds, formatInstant, formatWindow, tomorrow } from "../time";
import { DateFilter } from "./date-filter";

export const sideLabel = (side: string) => (side === "buy" ? "Bid (buy)" : "Offer (sell)");
const peak = (values: readonly number[]) => Math.max(0, ...values);

interface Row extends Opportunity {
  assetName: string;
  /** The market's status (GET /markets): only an open market takes orders. */
  marketStatus: Market["status"] | "unknown";
}

const helper = columnsFor<Row>();

/**
 * Trading opportunities for a delivery day (R-ELIG-6): one row per opportunity of the caller's
 * entries, with the plot of its predicted curtailment per SP, the gate-closure countdown and
 * the order form for the one opened.
 */
export function OpportunitiesPage() {
  const { api, params, path } = useConsole();
  const date = params.date ?? tomorrow();
  const selectedId = params.opportunity;
  const opportunities = useLoad(
    (signal) => api.all<Opportunity>(`/opportunities${query({ deliveryDate: date })}`, signal),
    [api, date],
  );
  const assets = useLoad((signal) => api.all<Asset>("/assets", signal), [api]);
  const markets = useLoad(
    (signal) => api.all<Market>(`/markets${query({ deliveryDate: date })}`, signal),
    [api, date],
  );
  const rows = useMemo<Row[]>(() => {
    const names = new Map((assets.data ?? []).map((asset) => [asset.assetId, asset.name]));
    const statuses = new Map(
      (markets.data ?? []).map((market) => [market.marketId, market.status]),
    );
    return (opportunities.data ?? []).map((o) => ({
      ...o,
      assetName: names.get(o.assetId) ?? o.assetId,
      marketStatus: statuses.get(o.marketId) ?? "unknown",
    }));
  }, [opportunities.data, assets.data, markets.data]);
  const selected = rows.find((row) => row.opportunityId === selectedId);
  const nextGate = rows
    .map((row) => row.gateClosureAt)
    .filter((at) => epochSeconds(at) * 1000 > Date.now())
    .sort()[0];

  const columns = useMemo(
    () => [
      helper.accessor("assetName", { header: "Asset" }),
      helper.accessor("entryId", { header: "MOL entry" }),
      helper.accessor("side", { header: "Opportunity", cell: (c) => sideLabel(c.getValue()) }),
      helper.accessor("windowStart", {
        header: "Start – end",
        cell: (c) => formatWindow(c.getValue(), c.row.original.windowEnd),
      }),
      helper.accessor("constraintId", { header: "Constraint" }),
      helper.accessor("constraintSizeMw", { header: "Constraint size MW" }),
      helper.accessor((row) => peak(row.predictedCurtailmentMw), {
        id: "curtailedMw",
        header: "Curtailed capacity MW",
      }),
      helper.accessor("maxQuantityMw", { header: "Max quantity MW" }),
      helper.accessor("curtailmentOrder", { header: "MOL position" }),
      helper.accessor("mwAhead", { header: "MW ahead" }),
      helper.accessor((row) => row.marketDepth.buyMw, {
        id: "buyDepth",
        header: "Buyers' depth MW",
      }),
      helper.accessor((row) => row.marketDepth.sellMw, {
        id: "sellDepth",
        header: "Sellers' depth MW",
      }),
      helper.accessor("marketStatus", {
        header: "Market",
        cell: (c) => <Badge value={c.getValue()} />,
      }),
      helper.accessor("gateClosureAt", {
        header: "Gate closure",
        cell: (c) => formatInstant(c.getValue()),
      }),
      helper.display({
        id: "open",
        header: "Details",
        cell: (c) => (
          <a
            class="button-link"
            href={hrefOf(path, { date, opportunity: c.row.original.opportunityId })}
            aria-label={`Plot and order: ${c.row.original.entryId} ${sideLabel(c.row.original.side)}, ${formatWindow(c.row.original.windowStart, c.row.original.windowEnd)}`}
          >
            Plot and order
          </a>
        ),
      }),
    ],
    [path, date],
  );

  return (
    <>
      <DateFilter
        label="Delivery date"
        value={date}
        onChange={(value) => replaceParams(path, { date: value })}
      />
      {nextGate ? <Countdown until={nextGate} label="Next gate closure" /> : null}
      <LoadedTable
        load={opportunities}
        what="opportunities"
        name="opportunities"
        caption={`Your trading opportunities for ${date}`}
        columns={columns}
        rows={rows}
        rowId={(row) => row.opportunityId}
        selectedId={selectedId}
        initialSorting={[{ id: "windowStart", desc: false }]}
        empty={`No trading opportunities for ${date}. Opportunities appear when the ANM posts the day's look-ahead and your qualified assets' entries are forecast to be curtailed (buy) or can take curtailment (sell).`}
      />
      {selected ? (
        <OpportunityDetails
          key={selected.opportunityId}
          opportunity={selected}
          onSubmitted={opportunities.reload}
        />
      ) : null}
    </>
  );
}

function OpportunityDetails(props: { opportunity: Row; onSubmitted: () => void }) {
  const o = props.opportunity;
  const title = `${o.entryId} ${sideLabel(o.side)} behind ${o.constraintId}`;
  const spStarts = o.predictedCurtailmentMw.map((_, index) =>
    new Date((epochSeconds(o.windowStart) + index * 1800) * 1000).toISOString(),
  );
  return (
    <section class="details" aria-labelledby="details-heading" data-section="opportunity">
      <h2 id="details-heading">{title}</h2>
      <p>
        {o.assetName}, {formatWindow(o.windowStart, o.windowEnd)}; market <code>{o.marketId}</code>.
      </p>
      <Countdown until={o.gateClosureAt} label="Gate closure" />
      <CurtailmentChart
        title={title}
        windowStart={o.windowStart}
        windowEnd={o.windowEnd}
        predictedCurtailmentMw={o.predictedCurtailmentMw}
        maxQuantityMw={o.maxQuantityMw}
      />
      <details>
        <summary>Predicted curtailment per settlement period, as a table</summary>
        <table class="compact">
          <caption>Predicted curtailment of {o.entryId} per settlement period</caption>
          <thead>
            <tr>
              <th scope="col">SP starts</th>
              <th scope="col">Predicted curtailment MW</th>
            </tr>
          </thead>
          <tbody>
            {spStarts.map((start, index) => (
              <tr key={start}>
                <td>{formatInstant(start)}</td>
                <td>{o.predictedCurtailmentMw[index]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <h3>{o.side === "buy" ? "Place a bid" : "Place an offer"}</h3>
      {o.marketStatus === "open" || o.marketStatus === "unknown" ? (
        <OrderForm opportunity={o} onSubmitted={props.onSubmitted} />
      ) : (
        <p data-section="market-not-open">
          This market is {o.marketStatus}: it takes no more orders.{" "}
          <a href={hrefOf("/orders", { marketId: o.marketId })}>Your orders in it</a>
        </p>
      )}
    </section>
  );
}
