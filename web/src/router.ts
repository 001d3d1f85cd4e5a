import { useEffect, useState } from "preact/hooks";

/**
 * Hash routing (`#/orders?marketId=…`): the console is static files, so any path under
 * `/console/` or a CloudFront root serves the same `index.html` with no rewrite rules. Only
 * page names and filters go in the hash — never a key or a secret.
 */
export interface Location {
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
}

export function parseHash(hash: string): Location | undefined {
  if (!hash.startsWith("#/")) return undefined;
  const [path, search = ""] = hash.slice(1).split("?", 2) as [string, string?];
  return { path, params: Object.fromEntries(new URLSearchParams(search)) };
}

export function hrefOf(path: string, params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(name, value);
  }
  const text = search.toString();
  return `#${path}${text ? `?${text}` : ""}`;
}

export function navigate(path: string, params: Record<string, string | undefined> = {}): void {
  const href = hrefOf(path, params);
  if (window.location.hash !== href) window.location.hash = href;
}

/** Replaces the filters of the current page without adding a history entry per keystroke. */
export function replaceParams(path: string, params: Record<string, string | undefined>): void {
  window.history.replaceState(null, "", hrefOf(path, params));
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

export function useLocation(): Location {
  const [location, setLocation] = useState<Location>(
    () => parseHash(window.location.hash) ?? { path: "", params: {} },
  );
  useEffect(() => {
    const onChange = () => {
      const next = parseHash(window.location.hash);
      if (next) setLocation(next);
    };
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return location;
}
