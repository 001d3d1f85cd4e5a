import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Test instrumentation of the local REST server: with `BITRADER_OBSERVED_RESPONSES` naming a
 * directory, every answer to a matched route is appended there as one JSON line
 * `{ route, status, code? }` (one file per process). The contract test compares what the
 * integration tests observed with what the OpenAPI document says each route can answer.
 * Without the variable nothing is written.
 */
export interface ObservedResponse {
  readonly route: string;
  readonly status: number;
  /** The problem's stable code, for error answers. */
  readonly code?: string;
}

const directory = process.env.BITRADER_OBSERVED_RESPONSES;
let file: string | undefined;

export function observeResponse(route: string, status: number, body: string | undefined): void {
  if (!directory) return;
  if (file === undefined) {
    mkdirSync(directory, { recursive: true });
    file = join(directory, `${process.pid}.jsonl`);
  }
  let code: string | undefined;
  if (status >= 400 && body) {
    try {
      const parsed = JSON.parse(body) as { code?: unknown };
      if (typeof parsed.code === "string") code = parsed.code;
    } catch {
      // not a problem body
    }
  }
  const observed: ObservedResponse = { route, status, ...(code ? { code } : {}) };
  appendFileSync(file, `${JSON.stringify(observed)}\n`);
}
