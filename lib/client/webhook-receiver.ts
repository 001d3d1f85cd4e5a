import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/**
 * Real local webhook receivers, as a participant would run one, for `npm run demo`, the bench and
 * the tests: one HTTP server on
 * 127.0.0.1 with a path per receiver. Each records every request (headers, the raw body, when)
 * and answers as its script says — a status per attempt, a delay, a hang, a redirect.
 */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly atMs: number;
  readonly status: number;
}

export interface Script {
  /** Status per request to this path, in order; the last repeats. @default [200] */
  statuses?: number[];
  /** Milliseconds before answering. */
  delayMs?: number;
  /** Never answer (the sender's timeout ends it). */
  hang?: boolean;
  /** Extra answer headers (e.g. Location, Retry-After). */
  headers?: Record<string, string>;
}

export class WebhookReceivers {
  readonly requests: ReceivedRequest[] = [];
  private readonly scripts = new Map<string, Script>();
  private readonly counts = new Map<string, number>();
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = (req.url ?? "/").split("?")[0]!;
        const script = this.scripts.get(path) ?? {};
        const n = this.counts.get(path) ?? 0;
        this.counts.set(path, n + 1);
        const statuses = script.statuses ?? [200];
        const status = statuses[Math.min(n, statuses.length - 1)]!;
        const record = {
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          atMs: Date.now(),
          status,
        };
        if (script.hang) {
          this.requests.push({ ...record, status: 0 });
          return;
        }
        setTimeout(() => {
          this.requests.push(record);
          res.writeHead(status, { "content-type": "text/plain", ...script.headers });
          res.end("ok");
        }, script.delayMs ?? 0);
      });
    });
    this.server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The URL of a receiver path (`/g4`), http on 127.0.0.1 (allowed by the local stack). */
  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  script(path: string, script: Script): void {
    this.scripts.set(path, script);
    this.counts.set(path, 0);
  }

  at(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

/** The event a request carried, after checking its signature with the `standardwebhooks` verifier. */
export function verified(
  request: Pick<ReceivedRequest, "headers" | "body">,
  secret: string,
): { id: string; type: string; timestamp: string; data: Record<string, any> } {
  return new Webhook(secret).verify(request.body, {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  }) as never;
}

/** Waits until `condition` holds (polling), or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  read: () => T | Promise<T>,
  condition: (value: T) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (condition(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)?.slice(0, 2000)}`);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}
