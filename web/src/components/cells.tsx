import type { ComponentChildren } from "preact";

/** A status as a coloured badge (the text carries the meaning; colour only repeats it). */
export function Badge(props: { value: string }) {
  return <span class={`badge ${props.value.toLowerCase()}`}>{props.value}</span>;
}

/** A form's submit button, saying what it is doing while the request runs. */
export function SubmitButton(props: {
  busy: boolean;
  busyLabel: string;
  children: ComponentChildren;
}) {
  return (
    <button type="submit" class="primary" disabled={props.busy}>
      {props.busy ? props.busyLabel : props.children}
    </button>
  );
}
