import {
  type ColumnDef,
  createColumnHelper,
  createSortedRowModel,
  type RowData,
  rowSortingFeature,
  type SortingState,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
  useTable,
} from "@tanstack/preact-table";
import type { ComponentChildren } from "preact";
import { LoadError, Loading } from "./status";

/**
 * The console's one table: TanStack Table (headless) for the column model and client-side
 * sorting, rendered as a plain, accessible `<table>` — a caption, `<th scope="col">`, sort
 * buttons in the headers with `aria-sort`, and a horizontal scroll region on narrow screens.
 */
export const TABLE_FEATURES = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, text: sortFn_text, basic: sortFn_basic },
});
export type TableFeatures = typeof TABLE_FEATURES;

/** The column helper every page uses, so that its columns fit {@link DataTable}. */
export function columnsFor<T extends RowData>() {
  return createColumnHelper<TableFeatures, T>();
}

export interface DataTableProps<T extends RowData> {
  /** Shown as the table's `<caption>` (its accessible name). */
  caption: string;
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  columns: ColumnDef<TableFeatures, T, any>[];
  data: T[];
  rowId: (row: T) => string;
  /** Shown in place of the body when there are no rows. */
  empty: ComponentChildren;
  initialSorting?: SortingState;
  /** Marks a row (e.g. the one whose details are open). */
  selectedId?: string | undefined;
  /** A name for tests and styles: `data-table="…"`. */
  name: string;
}

export function DataTable<T extends RowData>(props: DataTableProps<T>) {
  const table = useTable({
    features: TABLE_FEATURES,
    columns: props.columns,
    data: props.data,
    getRowId: (row: T) => props.rowId(row),
    initialState: { sorting: props.initialSorting ?? [] },
    // Every column sorts ascending first (MOL position 1 first, earliest window first).
    sortDescFirst: false,
  });
  const rows = table.getRowModel().rows;
  return (
    <section class="table-scroll" aria-label={props.caption}>
      <table data-table={props.name}>
        <caption>{props.caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={
                      sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined
                    }
                  >
                    {canSort ? (
                      <button
                        type="button"
                        class="sort"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        <table.FlexRender header={header} />
                        <span aria-hidden="true" class="sort-mark">
                          {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : " ↕"}
                        </span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={table.getAllLeafColumns().length} class="empty">
                {props.empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr
                key={row.id}
                data-id={row.id}
                class={row.id === props.selectedId ? "selected" : undefined}
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}

/**
 * A {@link DataTable} over loaded rows: the load's error as an alert, "Loading …" until the
 * first answer, then the table (kept on screen while a reload runs).
 */
export function LoadedTable<T extends RowData>(
  props: Omit<DataTableProps<T>, "data"> & {
    /** The load (useLoad); its data are the rows unless `rows` is given. */
    load: { data?: unknown; error?: unknown; loading: boolean };
    /** What is loading, for "Loading …". */
    what: string;
    /** Rows to show instead of the loaded ones (a filtered view of them). */
    rows?: T[];
  },
) {
  const { load, what, rows, ...table } = props;
  return (
    <>
      {load.error ? <LoadError error={load.error} /> : null}
      {load.data ? (
        <DataTable {...table} data={rows ?? (load.data as T[])} />
      ) : load.loading ? (
        <Loading what={what} />
      ) : null}
    </>
  );
}
