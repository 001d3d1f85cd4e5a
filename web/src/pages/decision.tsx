import { useState } from "preact/hooks";
import { newIdempotencyKey } from "../api/client";
import { messageOf } from "../components/status";
import { useConsole } from "../context";

/**
 * The operator's decision buttons for one participant or asset, with an optional reason; the
 * decision is posted once (Idempotency-Key) and the list reloads.
 */
export function DecisionControls(props: {
  /** e.g. `/participants/par-…/decision` */
  path: string;
  subject: string;
  decisions: readonly { decision: string; label: string; tone: "primary" | "danger" }[];
  onDecided: (message: string) => void;
}) {
  const { api } = useConsole();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const reasonId = `reason-${props.subject}`;

  async function decide(decision: string) {
    setBusy(true);
    setError(undefined);
    try {
      await api.request("POST", props.path, {
        body: reason.trim() === "" ? { decision } : { decision, reason: reason.trim() },
        idempotencyKey: newIdempotencyKey(),
      });
      props.onDecided(`${props.subject}: ${decision} recorded.`);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="decision" data-decision-for={props.subject}>
      <label for={reasonId} class="visually-hidden">
        Reason for the decision on {props.subject} (optional)
      </label>
      <input
        id={reasonId}
        type="text"
        placeholder="Reason (optional)"
        value={reason}
        onInput={(event) => setReason((event.target as HTMLInputElement).value)}
      />
      {props.decisions.map((d) => (
        <button
          key={d.decision}
          type="button"
          class={d.tone}
          disabled={busy}
          onClick={() => decide(d.decision)}
          aria-label={`${d.label} ${props.subject}`}
        >
          {d.label}
        </button>
      ))}
      {error ? (
        <span class="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** The decision cell of a row: its allowed decisions, or "final" when none is left. */
export function DecisionCell(props: Parameters<typeof DecisionControls>[0]) {
  return props.decisions.length === 0 ? <>final</> : <DecisionControls {...props} />;
}
