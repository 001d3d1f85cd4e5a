import { Resolver } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Webhook } from "standardwebhooks";
import type { WebhookTransport } from "../core/ports";
import {
  type AttemptError,
  type AttemptResult,
  retryAfterMs,
  type WebhookTarget,
} from "../core/webhooks/model";

/**
 * The sender of webhooks (R-NOTIFY-1, R-NOTIFY-5, R-NOTIFY-6). Before each attempt the host is
 * resolved again and every address it resolves to is checked; the connection is then made to
 * the checked address itself (the request's `lookup` answers with it), so a name that changes
 * its answer between the check and the connection (DNS rebinding) cannot reach anything else.
 * Only global unicast addresses are allowed — private, loopback, link-local (169.254.0.0/16, the
 * metadata service), shared, reserved, multicast and documentation ranges are refused, in IPv4
 * and IPv6 alike, an IPv4-mapped or -compatible IPv6 address as the IPv4 address it carries —
 * except loopback for the local stack's own `127.0.0.1` / `localhost` receivers. Bodies are
 * signed with the `standardwebhooks` package, one signature per live secret.
 */
export interface TransportOptions {
  /** DNS servers (`host:port`) instead of the system's (`/etc/resolv.conf`). */
  readonly dnsServers?: readonly string[];
  readonly userAgent?: string;
}

/** Answer bytes read from a receiver (the rest is discarded). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** True when a connection to `address` may be made (D-162). */
export function addressAllowed(address: string, loopback: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6") {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (v6.parts.slice(0, 6).every((part) => part === 0)) {
      // ::a.b.c.d (IPv4-compatible, deprecated) and :: / ::1 themselves.
      const range = v6.range();
      return loopback && range === "loopback";
    }
  }
  const range = parsed.range();
  if (loopback && range === "loopback") return true;
  return range === "unicast";
}

type Resolved = { addresses: { address: string; family: 4 | 6 }[] } | { error: "dns" };

export class HttpWebhookTransport implements WebhookTransport {
  private readonly resolver: Resolver;

  constructor(private readonly options: TransportOptions = {}) {
    this.resolver = new Resolver({ timeout: 2_000, tries: 2 });
    if (options.dnsServers && options.dnsServers.length > 0)
      this.resolver.setServers([...options.dnsServers]);
  }

  /** The host's addresses: an IP literal as it is, `localhost` as loopback (RFC 6761), else DNS. */
  private async resolve(target: WebhookTarget): Promise<Resolved> {
    const host = target.hostname.replace(/^\[|\]$/g, "");
    if (ipaddr.isValid(host))
      return {
        addresses: [{ address: host, family: ipaddr.parse(host).kind() === "ipv6" ? 6 : 4 }],
      };
    if (host === "localhost") return { addresses: [{ address: "127.0.0.1", family: 4 }] };
    const [v4, v6] = await Promise.allSettled([
      this.resolver.resolve4(host),
      this.resolver.resolve6(host),
    ]);
    const addresses = [
      ...(v4.status === "fulfilled"
        ? v4.value.map((address) => ({ address, family: 4 as const }))
        : []),
      ...(v6.status === "fulfilled"
        ? v6.value.map((address) => ({ address, family: 6 as const }))
        : []),
    ];
    return addresses.length > 0 ? { addresses } : { error: "dns" };
  }

  async check(target: WebhookTarget): Promise<string | undefined> {
    const resolved = await this.resolve(target);
    if ("error" in resolved) return "its host does not resolve";
    if (resolved.addresses.some((a) => !addressAllowed(a.address, target.loopback)))
      return "its host resolves to an address that is not allowed (private, loopback, link-local or metadata)";
    return undefined;
  }

  async send(request: {
    target: WebhookTarget;
    eventId: string;
    body: string;
    secrets: ReadonlyArray<string>;
    timeoutMs: number;
  }): Promise<Omit<AttemptResult, "startedAtMs">> {
    const started = performance.now();
    const elapsed = () => Math.max(0, Math.round(performance.now() - started));
    const resolved = await this.resolve(request.target);
    if ("error" in resolved) return { error: "dns", durationMs: elapsed() };
    if (resolved.addresses.some((a) => !addressAllowed(a.address, request.target.loopback)))
      return { error: "address-not-allowed", durationMs: elapsed() };
    const chosen = resolved.addresses.find((a) => a.family === 4) ?? resolved.addresses[0]!;
    const sentAt = new Date();
    const signature = request.secrets
      .map((secret) => new Webhook(secret).sign(request.eventId, sentAt, request.body))
      .join(" ");
    const url = new URL(request.target.url);
    // The connection goes to the address checked above, whatever the name resolves to now.
    const lookup: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all)
        (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
          { address: chosen.address, family: chosen.family },
        ]);
      else callback(null, chosen.address, chosen.family);
    };
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve) => {
      let settled = false;
      const done = (result: Omit<AttemptResult, "startedAtMs">) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = client.request(
        url,
        {
          method: "POST",
          agent: false,
          lookup,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(request.body, "utf8"),
            "user-agent": this.options.userAgent ?? "BiTraDER-Webhooks/1.0",
            "webhook-id": request.eventId,
            "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
            "webhook-signature": signature,
          },
        },
        (res) => {
          const statusCode = res.statusCode ?? 0;
          let read = 0;
          res.on("data", (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          const finish = () =>
            done({
              statusCode,
              durationMs: elapsed(),
              ...(statusCode >= 300 && statusCode < 400 ? { error: "redirect" as const } : {}),
              ...(() => {
                const header = res.headers["retry-after"];
                const ms = retryAfterMs(
                  Array.isArray(header) ? header[0] : header,
                  sentAt.getTime(),
                );
                return ms === undefined ? {} : { retryAfterMs: ms };
              })(),
            });
          res.on("end", finish);
          res.on("close", finish);
          res.on("error", finish);
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        done({ error: "timeout", durationMs: elapsed() });
      }, request.timeoutMs);
      req.on("error", (error) => done({ error: errorClass(error), durationMs: elapsed() }));
      req.end(request.body);
    });
  }
}

/** The attempt error class of a request failure. */
function errorClass(error: unknown): AttemptError {
  const code = String((error as { code?: unknown }).code ?? "");
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "dns";
  if (
    code.startsWith("ERR_TLS") ||
    code.startsWith("ERR_SSL") ||
    code.includes("CERT") ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ||
    code === "EPROTO"
  )
    return "tls";
  if (code === "ETIMEDOUT") return "timeout";
  return "connection";
}
