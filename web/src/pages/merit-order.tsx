import { useState } from "preact/hooks";
import { query } from "../api/client";
import { columnsFor, DataTable } from "../components/data-table";
import { LoadError, Loading, useLoad } from "../components/status";
import { useConsole } from "../context";
import { replaceParams } from "../router";
import { formatWindow, tomorrow } from "../time";

interface SegmentEntry {
  curtailmentOrder: number;
  entryId: string;
  parentEntryId: string;
  tradeId?: string;
  resourceId: string;
  capacityMw: number;
  forecastMw: number[];
  curtailmentMw: number[];
}

interface MeritOrder {
  anmSchemeId: string;
  deliveryDate: string;
  constraintId: string;
  status: "provisional" | "published";
  version: number;
  baseVersion: number;
  segments: { marketId: string; validFrom: string; validTo: string; entries: SegmentEntry[] }[];
}

const helper = columnsFor<SegmentEntry>();
const COLUMNS = [
  helper.accessor("curtailmentOrder", { header: "Order" }),
  helper.accessor("entryId", { header: "Unit" }),
  helper.accessor("parentEntryId", { header: "MOL entry" }),
  helper.accessor((e) => e.tradeId ?? "—", { id: "tradeId", header: "Trade" }),
  helper.accessor("capacityMw", { header: "Capacity MW" }),
  helper.accessor((e) => e.forecastMw.join(" "), {
    id: "forecast",
    header: "Forecast MW per SP",
    enableSorting: false,
  }),
  helper.accessor((e) => e.curtailmentMw.join(" "), {
    id: "curtailment",
    header: "Curtailment MW per SP",
    enableSorting: false,
  }),
];

/**
 * The re-ordered Merit Order List of one constraint and day (api.md `GET /anm/merit-order`),
 * for the operator and the ANM: its status and version, and each published segment's units.
 */
export function MeritOrderPage() {
  const { params, path } = useConsole();
  const [scheme, setScheme] = useState(params.scheme ?? "");
  const [date, setDate] = useState(params.date ?? tomorrow());
  const [constraint, setConstraint] = useState(params.constraint ?? "");
  const ready = params.scheme && params.date && params.constraint;
  return (
    <>
      <form
        class="filter"
        aria-label="Merit order"
        onSubmit={(event) => {
          event.preventDefault();
          replaceParams(path, { scheme: scheme.trim(), date, constraint: constraint.trim() });
        }}
      >
        <label for="mol-scheme">ANM scheme id</label>
        <input
          id="mol-scheme"
          value={scheme}
          onInput={(e) => setScheme((e.target as HTMLInputElement).value)}
        />
        <label for="mol-date">Delivery date</label>
        <input
          id="mol-date"
          type="date"
          value={date}
          onInput={(e) => setDate((e.target as HTMLInputElement).value)}
        />
        <label for="mol-constraint">Constraint id</label>
        <input
          id="mol-constraint"
          value={constraint}
          onInput={(e) => setConstraint((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Show</button>
      </form>
      {ready ? (
        <MeritOrderView
          scheme={params.scheme!}
          date={params.date!}
          constraint={params.constraint!}
        />
      ) : (
        <p>Name the scheme, day and constraint to read its merit order.</p>
      )}
    </>
  );
}

function MeritOrderView(props: { scheme: string; date: string; constraint: string }) {
  const { api } = useConsole();
  const mol = useLoad(
    (signal) =>
      api.get<MeritOrder>(
        `/anm/merit-order${query({ anmSchemeId: props.scheme, deliveryDate: props.date, constraintId: props.constraint })}`,
        signal,
      ),
    [api, props.scheme, props.date, props.constraint],
  );
  if (mol.error) return <LoadError error={mol.error} />;
  if (!mol.data) return mol.loading ? <Loading what="the merit order" /> : null;
  const m = mol.data;
  return (
    <section aria-labelledby="mol-heading" data-section="merit-order">
      <h2 id="mol-heading">
        {m.constraintId}, {m.deliveryDate}: version {m.version} ({m.status})
      </h2>
      {m.segments.length === 0 ? (
        <p>
          {m.status === "provisional"
            ? "Not yet published: the MOL stands as the ANM sent it."
            : "Nothing traded on this constraint: the MOL is unchanged."}
        </p>
      ) : (
        m.segments.map((segment) => (
          <DataTable
            key={`${segment.marketId}-${segment.validFrom}`}
            name="merit-order-segment"
            caption={`Segment ${formatWindow(segment.validFrom, segment.validTo)} (market ${segment.marketId})`}
            columns={COLUMNS}
            data={segment.entries}
            rowId={(e) => e.entryId}
            initialSorting={[{ id: "curtailmentOrder", desc: false }]}
            empty="No units."
          />
        ))
      )}
    </section>
  );
}
