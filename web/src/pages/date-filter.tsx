import { useState } from "preact/hooks";

/** A delivery-date filter: a labelled date input applied on change (keyboard and picker alike). */
export function DateFilter(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const [value, setValue] = useState(props.value);
  return (
    <form
      class="filter"
      aria-label={props.label}
      onSubmit={(event) => {
        event.preventDefault();
        props.onChange(value);
      }}
    >
      <label for="filter-date">{props.label}</label>
      <input
        id="filter-date"
        type="date"
        value={value}
        onInput={(event) => setValue((event.target as HTMLInputElement).value)}
        onChange={(event) => props.onChange((event.target as HTMLInputElement).value)}
      />
      <button type="submit">Show</button>
    </form>
  );
}
