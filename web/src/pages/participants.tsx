import { useMemo, useState } from "preact/hooks";
import { query } from "../api/client";
import type { Participant, ParticipantStatus } from "../api/types";
import { Badge } from "../components/cells";
import { columnsFor, LoadedTable } from "../components/data-table";
import { Notice, useLoad } from "../components/status";
import { useConsole } from "../context";
import { replaceParams } from "../router";
import { formatInstant } from "../time";
import { DecisionCell } from "./decision";
import { StatusFilter } from "./status-filter";

const STATUSES: readonly ParticipantStatus[] = ["pending", "approved", "suspended", "rejected"];

/** Decisions allowed from each status (D-18). */
const DECISIONS: Record<
  ParticipantStatus,
  { decision: string; label: string; tone: "primary" | "danger" }[]
> = {
  pending: [
    { decision: "approve", label: "Approve", tone: "primary" },
    { decision: "reject", label: "Reject", tone: "danger" },
  ],
  approved: [{ decision: "suspend", label: "Suspend", tone: "danger" }],
  suspended: [
    { decision: "approve", label: "Reinstate", tone: "primary" },
    { decision: "reject", label: "Reject", tone: "danger" },
  ],
  rejected: [],
};

const helper = columnsFor<Participant>();

/** The operator's participant register (api.md "Registration"): pending ones first. */
export function ParticipantsPage() {
  const { api, params, path } = useConsole();
  const status = (STATUSES as readonly string[]).includes(params.status ?? "")
    ? (params.status as ParticipantStatus)
    : "pending";
  const participants = useLoad(
    (signal) => api.all<Participant>(`/participants${query({ status })}`, signal),
    [api, status],
  );
  const [message, setMessage] = useState<string>();
  const columns = useMemo(
    () => [
      helper.accessor((p) => p.organisation.legalName, { id: "legalName", header: "Organisation" }),
      helper.accessor("participantId", {
        header: "Participant id",
        cell: (c) => <code>{c.getValue()}</code>,
      }),
      helper.accessor((p) => p.organisation.companyNumber, {
        id: "companyNumber",
        header: "Company no.",
      }),
      helper.accessor((p) => `${p.contact.name} <${p.contact.email}>`, {
        id: "contact",
        header: "Contact",
      }),
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
          const p = c.row.original;
          return (
            <DecisionCell
              path={`/participants/${encodeURIComponent(p.participantId)}/decision`}
              subject={p.organisation.legalName}
              decisions={DECISIONS[p.status]}
              onDecided={(text) => {
                setMessage(text);
                participants.reload();
              }}
            />
          );
        },
      }),
    ],
    [participants.reload],
  );
  return (
    <>
      <StatusFilter
        label="Participant status"
        statuses={STATUSES}
        value={status}
        onChange={(value) => replaceParams(path, { status: value })}
      />
      {message ? <Notice>{message}</Notice> : null}
      <LoadedTable
        load={participants}
        what="participants"
        name="participants"
        caption={`Participants: ${status}`}
        columns={columns}
        rowId={(p) => p.participantId}
        initialSorting={[{ id: "createdAt", desc: false }]}
        empty={`No ${status} participants.`}
      />
    </>
  );
}
