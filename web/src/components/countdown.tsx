import { useEffect, useState } from "preact/hooks";
import { countdown, formatInstant } from "../time";

/** Time left to a gate closure (R-GATE-1), ticking each second; `role="timer"` stays quiet. */
export function Countdown(props: { until: string; label: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = countdown(props.until, now);
  return (
    <p class={left.passed ? "countdown passed" : "countdown"}>
      {props.label} {formatInstant(props.until)}:{" "}
      <span
        role="timer"
        aria-label={`${props.label}: ${left.passed ? "passed" : `in ${left.text}`}`}
      >
        {left.passed ? "passed" : `in ${left.text}`}
      </span>
    </p>
  );
}
