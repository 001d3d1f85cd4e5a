import { useMemo } from "preact/hooks";
import { query } from "../api/client";
import type { Cycle, Execution } from "../api/types";
import { Badge } from "../components/cells";
import { columnsFor, LoadedTable } from "../components/data-table";
import { LoadError, Loading, useLoad } from "../components/status";
import { useConsole } from "../context";
import { hrefOf, replaceParams } from "../router";
import { formatInstant, formatMs, formatPreciseTime, msBetween, tomorrow } from "../time";
import { timelineOf } from "../timeline";
import { DateFilter } from "./date-filter";

const helper = columnsFor<Cycle>();

/**
 * The day-ahead cycles of a delivery day (api.md "Operations"): status, the step reached, the
 * failure of a failed one, and for the one opened its Step Functions execution as a timeline.
 */
export function CyclesPage() {
  const { api, params, path } = useConsole();
  const date = params.date ?? tomorrow();
  const selectedId = params.cycle;
  const cycles = useLoad(
    (signal) => api.all<Cycle>(`/cycles${query({ deliveryDate: date })}`, signal),
    [api, date],
  );
  const columns = useMemo(
    () => [
      helper.accessor("cycleId", { header: "Cycle", cell: (c) => <code>{c.getValue()}</code> }),
      helper.accessor("anmSchemeId", { header: "ANM scheme" }),
      helper.accessor("lookAheadId", { header: "Look-ahead" }),
      helper.accessor("status", {
        header: "Status",
        cell: (c) => <Badge value={c.getValue()} />,
      }),
      helper.accessor((c) => c.step ?? "—", { id: "step", header: "Step" }),
      helper.accessor("gateClosureAt", {
        header: "Gate closure",
        cell: (c) => formatInstant(c.getValue()),
      }),
      helper.accessor((c) => (c.failure ? `${c.failure.step}: ${c.failure.error}` : "—"), {
        id: "failure",
        header: "Failure",
      }),
      helper.display({
        id: "open",
        header: "Execution",
        cell: (c) => (
          <a
            class="button-link"
            href={hrefOf(path, { date, cycle: c.row.original.cycleId })}
            aria-label={`Timeline of cycle ${c.row.original.cycleId}`}
          >
            Timeline
          </a>
        ),
      }),
    ],
    [path, date],
  );
  const selected = cycles.data?.find((cycle) => cycle.cycleId === selectedId);
  return (
    <>
      <DateFilter
        label="Delivery date"
        value={date}
        onChange={(value) => replaceParams(path, { date: value })}
      />
      <LoadedTable
        load={cycles}
        what="cycles"
        name="cycles"
        caption={`Day-ahead cycles for ${date}`}
        columns={columns}
        rowId={(cycle) => cycle.cycleId}
        selectedId={selectedId}
        empty={`No cycles for ${date}: the ANM has not posted a look-ahead for that day.`}
      />
      {selected ? <CycleDetails key={selected.cycleId} cycle={selected} /> : null}
    </>
  );
}

function CycleDetails(props: { cycle: Cycle }) {
  const { api } = useConsole();
  const { cycle } = props;
  const execution = useLoad(
    (signal) =>
      api.get<Execution>(`/cycles/${encodeURIComponent(cycle.cycleId)}/execution`, signal),
    [api, cycle.cycleId],
  );
  return (
    <section class="details" aria-labelledby="cycle-heading" data-section="cycle">
      <h2 id="cycle-heading">Cycle {cycle.cycleId}</h2>
      {cycle.failure ? (
        <div class="notice error" data-section="failure">
          <p>
            <strong>Failed in {cycle.failure.step}</strong>: {cycle.failure.error}
          </p>
          <p class="cause">{cycle.failure.cause}</p>
        </div>
      ) : null}
      {execution.error ? <LoadError error={execution.error} /> : null}
      {execution.data ? (
        <Timeline execution={execution.data} />
      ) : execution.loading ? (
        <Loading what="the execution" />
      ) : null}
    </section>
  );
}

function Timeline(props: { execution: Execution }) {
  const { execution } = props;
  const steps = timelineOf(execution.events);
  const end = execution.stoppedAt ?? new Date().toISOString();
  const total = Math.max(1, msBetween(execution.startedAt, end));
  return (
    <>
      <p>
        Execution <code>{execution.name}</code>: <Badge value={execution.status} />, started{" "}
        {formatInstant(execution.startedAt)}
        {execution.stoppedAt
          ? `, stopped ${formatInstant(execution.stoppedAt)}`
          : ", still running"}
        .
      </p>
      <ol class="timeline" aria-label="States of the execution, in order" data-section="timeline">
        {steps.map((step, index) => {
          const until = step.exitedAt ?? end;
          const duration = msBetween(step.enteredAt, until);
          const offset = (msBetween(execution.startedAt, step.enteredAt) / total) * 100;
          const width = Math.max(0.5, (duration / total) * 100);
          return (
            <li
              key={`${step.state}-${index}`}
              class={step.error ? "failed" : step.exitedAt ? "done" : "running"}
              data-state={step.state}
            >
              <div class="step-head">
                <strong>{step.state}</strong> <span class="kind">{step.kind}</span>
              </div>
              <div class="step-times">
                {formatPreciseTime(step.enteredAt)} →{" "}
                {step.exitedAt ? formatPreciseTime(step.exitedAt) : "running"} ({formatMs(duration)}
                )
              </div>
              <div class="bar-track" aria-hidden="true">
                <div
                  class="bar"
                  style={{
                    marginInlineStart: `${offset}%`,
                    inlineSize: `${Math.min(width, 100 - offset)}%`,
                  }}
                />
              </div>
              {step.error ? (
                <div class="step-error">
                  {step.error}
                  {step.cause ? `: ${step.cause}` : ""}
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </>
  );
}
