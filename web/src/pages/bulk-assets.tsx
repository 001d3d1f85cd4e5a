import { useState } from "preact/hooks";
import { assetCsvTemplate } from "../../../functions/core/access/asset-csv-columns";
import { newIdempotencyKey } from "../api/client";
import { Badge, SubmitButton } from "../components/cells";
import { columnsFor, DataTable } from "../components/data-table";
import { LoadError, Notice } from "../components/status";
import { useConsole } from "../context";

/** One row's outcome, as `POST /assets:bulk` answers it (D-118). */
interface BulkResult {
  row: number;
  status: "created" | "existing" | "refused";
  assetId?: string;
  code?: string;
  errors?: { path: string; message: string }[];
}
interface BulkAnswer {
  counts: { rows: number; created: number; existing: number; refused: number };
  results: BulkResult[];
}

const TEMPLATE_HREF = `data:text/csv;charset=utf-8,${encodeURIComponent(assetCsvTemplate())}`;

const helper = columnsFor<BulkResult>();
const COLUMNS = [
  helper.accessor("row", { header: "Line" }),
  helper.accessor("status", { header: "Result", cell: (c) => <Badge value={c.getValue()} /> }),
  helper.accessor((r) => r.assetId ?? "", {
    id: "assetId",
    header: "Asset id",
    cell: (c) => (c.getValue() ? <code>{c.getValue()}</code> : null),
  }),
  helper.accessor((r) => r.code ?? "", { id: "code", header: "Code" }),
  helper.accessor((r) => r.errors ?? [], {
    id: "errors",
    header: "Column and reason",
    enableSorting: false,
    cell: (c) =>
      c.getValue().length === 0 ? null : (
        <ul class="plain">
          {c.getValue().map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <strong>{e.path}</strong>: {e.message}
            </li>
          ))}
        </ul>
      ),
  }),
];

/**
 * The flat-file path (`POST /assets:bulk`): the template to download (built here from the
 * API's own column list), a CSV to upload, and what became of each row.
 */
export function BulkAssetUpload(props: { onUploaded: () => void }) {
  const { api } = useConsole();
  const [file, setFile] = useState<File>();
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<BulkAnswer>();
  const [error, setError] = useState<unknown>();

  async function submit(event: Event) {
    event.preventDefault();
    if (file === undefined) return;
    setBusy(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      const csv = await file.text();
      setAnswer(await api.request<BulkAnswer>("POST", "/assets:bulk", { csv, idempotencyKey }));
      setIdempotencyKey(newIdempotencyKey());
      props.onUploaded();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="bulk-heading">
      <h2 id="bulk-heading">Bulk upload (CSV)</h2>
      <p>
        Register many assets at once: one asset per row, in the columns of the{" "}
        <a href={TEMPLATE_HREF} download="bitrader-assets-template.csv" data-link="asset-template">
          asset CSV template
        </a>{" "}
        (named after the ENA pre-qualification template; MOL entry ids separated by ;). Each row is
        checked like the form above; a refused row stores nothing, and uploading the same file again
        creates nothing new.
      </p>
      <form onSubmit={submit} data-form="bulk-assets" class="grid-form">
        <div class="field">
          <label for="bulk-file">CSV file</label>
          <input
            id="bulk-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile((e.currentTarget as HTMLInputElement).files?.[0]);
              setIdempotencyKey(newIdempotencyKey());
            }}
          />
        </div>
        <div class="actions">
          <SubmitButton busy={busy} busyLabel="Uploading…">
            {"Upload assets"}
          </SubmitButton>
        </div>
      </form>
      {error ? <LoadError error={error} /> : null}
      {answer ? (
        <>
          <Notice tone={answer.counts.refused > 0 ? "info" : "success"}>
            {answer.counts.rows} rows: {answer.counts.created} created, {answer.counts.existing}{" "}
            already registered, {answer.counts.refused} refused.
          </Notice>
          <DataTable
            caption="Upload results, one per row"
            name="bulk-results"
            columns={COLUMNS}
            data={answer.results}
            rowId={(r) => String(r.row)}
            empty="No rows."
            initialSorting={[{ id: "status", desc: true }]}
          />
        </>
      ) : null}
    </section>
  );
}
