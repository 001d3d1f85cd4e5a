/** A status filter as a labelled select, applied on change. */
export function StatusFilter<S extends string>(props: {
  label: string;
  statuses: readonly S[];
  value: S | "all";
  allowAll?: boolean;
  onChange: (value: S | "all") => void;
}) {
  return (
    <form class="filter" aria-label={props.label} onSubmit={(event) => event.preventDefault()}>
      <label for="filter-status">{props.label}</label>
      <select
        id="filter-status"
        value={props.value}
        onChange={(event) => props.onChange((event.target as HTMLSelectElement).value as S | "all")}
      >
        {props.allowAll ? <option value="all">all</option> : null}
        {props.statuses.map((status) => (
          <option key={status} value={status}>
            {status}
          </option>
        ))}
      </select>
    </form>
  );
}
