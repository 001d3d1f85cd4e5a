import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError } from "../api/client";

/** Loads data for a page; reload() fetches again (after a write). */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ error, loading: false });
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    const { problem } = error;
    return `${problem.detail ?? problem.title} (${problem.code})`;
  }
  return "The console could not complete the request.";
}

/** A failed load: what went wrong, as an alert. */
export function LoadError(props: { error: unknown }) {
  return (
    <div class="notice error" role="alert">
      {messageOf(props.error)}
    </div>
  );
}

export function Loading(props: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {props.what}…
    </p>
  );
}

/** A confirmation after a write; announced politely. */
export function Notice(props: { children: ComponentChildren; tone?: "success" | "info" }) {
  return (
    <div class={`notice ${props.tone ?? "success"}`} role="status">
      {props.children}
    </div>
  );
}
