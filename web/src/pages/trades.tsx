import { query } from "../api/client";
import type { Trade } from "../api/types";
import { Badge } from "../components/cells";
import { columnsFor, LoadedTable } from "../components/data-table";
import { useLoad } from "../components/status";
import { useConsole } from "../context";
import { replaceParams } from "../router";
import { formatWindow, tomorrow } from "../time";
import { DateFilter } from "./date-filter";

const helper = columnsFor<Trade>();
const COLUMNS = [
  helper.accessor("tradeId", { header: "Trade", cell: (c) => <code>{c.getValue()}</code> }),
  helper.accessor("marketId", { header: "Market", cell: (c) => <code>{c.getValue()}</code> }),
  helper.accessor((t) => formatWindow(t.windowStart, t.windowEnd), {
    id: "window",
    header: "Window",
  }),
  helper.accessor("buyEntryId", { header: "Buyer entry" }),
  helper.accessor("sellEntryId", { header: "Seller entry" }),
  helper.accessor("quantityMw", { header: "Quantity MW" }),
  helper.accessor("availabilityPrice", { header: "Availability £/MW/h" }),
  helper.accessor("utilisationPrice", { header: "Utilisation £/MWh" }),
  helper.accessor("status", {
    header: "Status",
    cell: (c) => <Badge value={c.getValue()} />,
  }),
];

/**
 * Trades of a delivery day (api.md `GET /trades`): a participant sees those it is party to
 * (its counterparty's entry, never the counterparty); the operator sees all.
 */
export function TradesPage() {
  const { api, params, path, session } = useConsole();
  const date = params.date ?? tomorrow();
  const trades = useLoad(
    (signal) => api.all<Trade>(`/trades${query({ deliveryDate: date })}`, signal),
    [api, date],
  );
  return (
    <>
      <DateFilter
        label="Delivery date"
        value={date}
        onChange={(value) => replaceParams(path, { date: value })}
      />
      <LoadedTable
        load={trades}
        what="trades"
        name="trades"
        caption={`${session?.role === "operator" ? "Trades" : "Your trades"} for ${date}`}
        columns={COLUMNS}
        rowId={(trade) => trade.tradeId}
        initialSorting={[{ id: "window", desc: false }]}
        empty={`No trades for ${date}. Trades appear once the day's markets have been matched after gate closure.`}
      />
    </>
  );
}
