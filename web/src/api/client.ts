import type { Page, Problem } from "./types";

/**
 * The console's HTTP client: JSON to and from the REST API with the caller's key in the
 * `x-api-key` header — never in a URL, never logged. A refused request throws {@link ApiError}
 * carrying the problem document, so forms can show `errors[]` next to their fields.
 */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
  }
}

export interface RequestOptions {
  body?: unknown;
  /** A CSV body instead, sent as `text/csv` (`POST /assets:bulk`). */
  csv?: string;
  /** Sent as `Idempotency-Key` on writes (api.md, Conventions). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export class ConsoleApi {
  /**
   * @param baseUrl the API's URL without a trailing slash ("" = the console's own origin)
   * @param apiKey the caller's key; absent for the public routes (registration, key claim)
   */
  constructor(
    readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  withKey(apiKey: string | undefined): ConsoleApi {
    return new ConsoleApi(this.baseUrl, apiKey);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.apiKey) headers["x-api-key"] = this.apiKey;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.csv !== undefined) headers["content-type"] = "text/csv";
    if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.csv === undefined ? {} : { body: options.csv }),
        ...(options.signal ? { signal: options.signal } : {}),
        credentials: "omit",
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new ApiError({
        title: "Network error",
        status: 0,
        code: "NETWORK_ERROR",
        detail: "The platform could not be reached. Check your connection and try again.",
      });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) throw new ApiError(asProblem(response.status, body));
    return body as T;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>("GET", path, signal ? { signal } : {});
  }

  /** Every page of a list route (`{ items, nextToken? }`), followed to the end. */
  async all<T>(path: string, signal?: AbortSignal): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const page = await this.get<Page<T>>(
        token ? `${path}${separator}nextToken=${encodeURIComponent(token)}` : path,
        signal,
      );
      items.push(...page.items);
      token = page.nextToken;
    } while (token);
    return items;
  }
}

function asProblem(status: number, body: unknown): Problem {
  if (typeof body === "object" && body !== null && typeof (body as Problem).code === "string") {
    return body as Problem;
  }
  return { title: "Request failed", status, code: `HTTP_${status}`, detail: `HTTP ${status}` };
}

/** A fresh Idempotency-Key (a UUID), one per intended write. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** A query string from defined values, URL-encoded. */
export function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(name, value);
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
