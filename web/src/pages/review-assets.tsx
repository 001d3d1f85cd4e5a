import { useMemo, useState } from "preact/hooks";
import type { Asset, AssetStatus } from "../api/types";
import { Badge } from "../components/cells";
import { columnsFor, LoadedTable } from "../components/data-table";
import { Notice, useLoad } from "../components/status";
import { useConsole } from "../context";
import { replaceParams } from "../router";
import { formatInstant } from "../time";
import { DecisionCell } from "./decision";
import { StatusFilter } from "./status-filter";

const STATUSES: readonly AssetStatus[] = ["pending", "qualified", "rejected"];

/** Decisions allowed from each status (D-19). */
const DECISIONS: Record<
  AssetStatus,
  { decision: string; label: string; tone: "primary" | "danger" }[]
> = {
  pending: [
    { decision: "qualify", label: "Qualify", tone: "primary" },
    { decision: "reject", label: "Reject", tone: "danger" },
  ],
  qualified: [{ decision: "reject", label: "Disqualify", tone: "danger" }],
  rejected: [],
};

const helper = columnsFor<Asset>();

/**
 * Assets to qualify or reject (api.md "Assets"). `GET /assets` has no status filter, so the
 * operator's full list is read and filtered here.
 */
export function ReviewAssetsPage() {
  const { api, params, path } = useConsole();
  const status = (["all", ...STATUSES] as readonly string[]).includes(params.status ?? "")
    ? (params.status as AssetStatus | "all")
    : "pending";
  const assets = useLoad((signal) => api.all<Asset>("/assets", signal), [api]);
  const [message, setMessage] = useState<string>();
  const shown = useMemo(
    () => (assets.data ?? []).filter((asset) => status === "all" || asset.status === status),
    [assets.data, status],
  );
  const columns = useMemo(
    () => [
      helper.accessor("name", { header: "Asset" }),
      helper.accessor("assetId", { header: "Asset id", cell: (c) => <code>{c.getValue()}</code> }),
      helper.accessor("participantId", {
        header: "Participant",
        cell: (c) => <code>{c.getValue()}</code>,
      }),
      helper.accessor("anmSchemeId", { header: "ANM scheme" }),
      helper.accessor((a) => a.molEntryIds.join(", "), {
        id: "molEntryIds",
        header: "MOL entries",
      }),
      helper.accessor(
        (a) => `${a.technology}, ${a.exportCapacityMw} MW, ${a.connectionVoltageKv} kV`,
        {
          id: "technical",
          header: "Technology, export, voltage",
        },
      ),
      helper.accessor("status", {
        header: "Status",
        cell: (c) => <Badge value={c.getValue()} />,
      }),
      helper.accessor("createdAt", {
        header: "Registered",
        cell: (c) => formatInstant(c.getValue()),
      }),
      helper.display({
        id: "decision",
        header: "Decision",
        cell: (c) => {
          const asset = c.row.original;
          return (
            <DecisionCell
              path={`/assets/${encodeURIComponent(asset.assetId)}/decision`}
              subject={asset.name}
              decisions={DECISIONS[asset.status]}
              onDecided={(text) => {
                setMessage(text);
                assets.reload();
              }}
            />
          );
        },
      }),
    ],
    [assets.reload],
  );
  return (
    <>
      <StatusFilter
        label="Asset status"
        statuses={STATUSES}
        allowAll
        value={status}
        onChange={(value) => replaceParams(path, { status: value })}
      />
      {message ? <Notice>{message}</Notice> : null}
      <LoadedTable
        load={assets}
        what="assets"
        name="review-assets"
        caption={`Assets: ${status}`}
        columns={columns}
        rows={shown}
        rowId={(asset) => asset.assetId}
        initialSorting={[{ id: "createdAt", desc: false }]}
        empty={`No ${status === "all" ? "" : `${status} `}assets.`}
      />
    </>
  );
}
