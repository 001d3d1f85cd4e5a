import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";
import { errorsFrom, type FormErrors, NO_ERRORS } from "../api/problem-fields";

export type { FormErrors };

/** Error state of one form, and where to move focus when a submission is refused. */
export function useFormErrors(fieldNames: readonly string[]) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const summaryRef = useRef<HTMLDivElement>(null);
  return {
    errors,
    summaryRef,
    clear: () => setErrors(NO_ERRORS),
    /** Records the refusal and moves focus to the summary, which lists every error. */
    refuse: (error: unknown, fieldForCode?: Readonly<Record<string, string>>) => {
      setErrors(errorsFrom(error, fieldNames, fieldForCode));
      requestAnimationFrame(() => summaryRef.current?.focus());
    },
  };
}

export const fieldId = (form: string, name: string) => `${form}-${name.replace(/\./g, "-")}`;

/** The summary of a refused submission: the problem and a link-like button per field error. */
export function ErrorSummary(props: {
  form: string;
  errors: FormErrors;
  labels: Readonly<Record<string, string>>;
  summaryRef: { current: HTMLDivElement | null };
}) {
  const { errors, form } = props;
  const fieldEntries = Object.entries(errors.fields);
  if (!errors.problem && fieldEntries.length === 0) return null;
  return (
    <div
      class="error-summary"
      role="alert"
      tabIndex={-1}
      ref={props.summaryRef}
      data-code={errors.problem?.code}
    >
      <h3>{errors.problem?.title ?? "There is a problem"}</h3>
      {errors.problem?.detail ? <p>{errors.problem.detail}</p> : null}
      {errors.problem?.code ? (
        <p class="code">
          Code: <code>{errors.problem.code}</code>
        </p>
      ) : null}
      {fieldEntries.length > 0 || errors.other.length > 0 ? (
        <ul>
          {fieldEntries.map(([name, messages]) => (
            <li key={name}>
              <button
                type="button"
                class="link"
                onClick={() => document.getElementById(fieldId(form, name))?.focus()}
              >
                {props.labels[name] ?? name}: {messages.join("; ")}
              </button>
            </li>
          ))}
          {errors.other.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface FieldProps {
  form: string;
  name: string;
  label: string;
  hint?: ComponentChildren;
  errors: FormErrors;
  required?: boolean;
}

function FieldFrame(
  props: FieldProps & { children: (aria: Record<string, string | boolean>) => ComponentChildren },
) {
  const id = fieldId(props.form, props.name);
  const messages = props.errors.fields[props.name];
  const describedBy = [props.hint ? `${id}-hint` : "", messages ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class={messages ? "field invalid" : "field"} data-field={props.name}>
      <label for={id}>
        {props.label}
        {props.required ? null : <span class="optional"> (optional)</span>}
      </label>
      {props.hint ? (
        <div class="hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {messages ? (
        <div class="field-error" id={`${id}-error`} data-error-for={props.name}>
          <span class="visually-hidden">Error: </span>
          {messages.join("; ")}
        </div>
      ) : null}
      {props.children({
        id,
        name: props.name,
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        ...(messages ? { "aria-invalid": "true" } : {}),
        ...(props.required ? { "aria-required": "true" } : {}),
      })}
    </div>
  );
}

export function TextField(
  props: FieldProps & {
    value: string;
    onInput: (value: string) => void;
    type?: "text" | "email" | "tel" | "date" | "password";
    inputMode?: "text" | "numeric" | "decimal" | "email" | "tel";
    autoComplete?: string;
    spellcheck?: boolean;
    readOnly?: boolean;
  },
) {
  return (
    <FieldFrame {...props}>
      {(aria) => (
        <input
          {...aria}
          // one attribute object: preact types `type` per input kind, this field takes several
          {...({ type: props.type ?? "text" } as { type: "text" })}
          value={props.value}
          inputMode={props.inputMode}
          autoComplete={props.autoComplete ?? "off"}
          spellcheck={props.spellcheck ?? false}
          readOnly={props.readOnly}
          onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
        />
      )}
    </FieldFrame>
  );
}

/** A number typed as text (`inputmode="decimal"`), so the API, not the browser, judges it. */
export function NumberField(
  props: FieldProps & { value: string; onInput: (value: string) => void; unit: string },
) {
  return (
    <FieldFrame {...props}>
      {(aria) => (
        <span class="with-unit">
          <input
            {...aria}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={props.value}
            onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
          />
          <span class="unit" aria-hidden="true">
            {props.unit}
          </span>
        </span>
      )}
    </FieldFrame>
  );
}

export function SelectField(
  props: FieldProps & {
    value: string;
    onChange: (value: string) => void;
    options: readonly { value: string; label: string }[];
  },
) {
  return (
    <FieldFrame {...props}>
      {(aria) => (
        <select
          {...aria}
          value={props.value}
          onChange={(event) => props.onChange((event.target as HTMLSelectElement).value)}
        >
          {props.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

/**
 * A number field's text as the API should receive it: a number when it reads as one, the text
 * itself otherwise (so the API names the field), nothing when empty.
 */
export function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
}

/** Drops undefined members, so optional fields left empty are not sent. */
export function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, member]) => member !== undefined),
  ) as Partial<T>;
}
