import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES, type Route } from "../../functions/http/routes";
import { onboard, type Trader } from "../../lib/client/api-client";
import { lambdaContext } from "../../lib/local/lambda-context";
import { bodies, type FuzzTarget, type Json, tableItems } from "../support/body-fuzz";
import { TestDns } from "../support/dns-server";
import { propertyParams } from "../support/property";
import { leaksIn } from "../support/response-scan";
import { restEvent } from "../support/rest-event";
import { useLocalStack } from "../support/use-local-stack";
import { eventually, WebhookReceivers } from "../support/webhook-receiver";

/**
 * reliability.md BI for the webhook write routes: ≥ 10,000 generated bodies per route (see
 * test/support/body-fuzz.ts), handlers in-process on REST v1 events against DynamoDB Local,
 * never a 5xx, every 400 naming its fields, nothing stored from a refused body. Hosts are asked
 * of the test's own DNS server (which knows no name), so a fuzzed URL never leaves the machine.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
const RUNS = Number(process.env.BI_RUNS ?? 10_000);

type Handler = (event: APIGatewayProxyEvent, context: unknown) => Promise<APIGatewayProxyResult>;
interface Target extends FuzzTarget {
  readonly id: string;
  readonly pathParameters?: Record<string, string>;
  /** True when a stored change is one an accepted body makes. */
  readonly explains: (key: string, item: string) => boolean;
}

const dns = new TestDns();
const receivers = new WebhookReceivers();
beforeAll(async () => {
  await dns.start();
  await receivers.start();
  process.env.WEBHOOK_DNS_SERVERS = dns.server;
});
afterAll(async () => {
  await receivers.stop();
  await dns.stop();
});
const local = useLocalStack();
const handlers: Record<string, Handler> = {};
const route = (id: string) => ROUTES.find((r) => r.id === id) as Route;
const targets: Target[] = [];
let owner: Trader;

beforeAll(async () => {
  for (const id of [
    "PutWebhookEndpoint",
    "RotateWebhookSecret",
    "TestWebhookEndpoint",
    "RetryWebhookDelivery",
  ]) {
    const module = (await import(`../../${route(id).entry.replace(/\.ts$/, "")}`)) as {
      handler: Handler;
    };
    handlers[id] = module.handler;
  }
  owner = await onboard(local.api, local.stack.keys.operator, {
    name: "FUZZ",
    anmSchemeId: "FUZZ-ANM",
    entryIds: ["FZ-1"],
  });
  await local.api.expect(201, "PUT", "/webhook-endpoint", {
    key: owner.apiKey,
    body: { url: receivers.url("/fuzz") },
  });
  const { deliveryId } = await local.api.expect(202, "POST", "/webhook-endpoint/test", {
    key: owner.apiKey,
  });
  await eventually(
    () => receivers.at("/fuzz").length,
    (n) => n >= 1,
    "the test delivery",
  );
  const mine = (_key: string, item: string) => item.includes(owner.participantId);
  const base = { url: receivers.url("/fuzz"), eventTypes: ["trade.confirmed"], enabled: true };
  targets.push(
    {
      id: "PutWebhookEndpoint",
      base,
      required: ["url"],
      valid: fc
        .record({
          types: fc.subarray(["trade.confirmed", "market.opened", "dispatch.instruction"], {
            minLength: 1,
          }),
          enabled: fc.option(fc.boolean()),
        })
        .map(
          ({ types, enabled }): Json => ({
            url: base.url,
            eventTypes: types,
            ...(enabled === null ? {} : { enabled }),
          }),
        ),
      validWeight: 20,
      explains: mine,
    },
    ...(["RotateWebhookSecret", "TestWebhookEndpoint"] as const).map(
      (id): Target => ({
        id,
        base: {},
        required: [],
        valid: fc.constant({}),
        validWeight: 4,
        // A test event's outbox items name their change, not the owner.
        explains: (key, item) => mine(key, item) || key.startsWith("OUTBOX#test:"),
      }),
    ),
    {
      id: "RetryWebhookDelivery",
      base: {},
      required: [],
      pathParameters: { deliveryId },
      valid: fc.constant({}),
      validWeight: 4,
      explains: (key, item) => mine(key, item) || key.includes(deliveryId),
    },
  );
}, 120_000);

async function send(target: Target, text: string | null, headers: Record<string, string> = {}) {
  const event = restEvent({
    route: route(target.id),
    body: text,
    headers,
    ...(target.pathParameters ? { pathParameters: target.pathParameters } : {}),
    caller: { role: "participant", principalId: owner.participantId },
  });
  return handlers[target.id]!(event, lambdaContext(target.id));
}

describe("bad bodies at every webhook write route", () => {
  it.each([
    "PutWebhookEndpoint",
    "RotateWebhookSecret",
    "TestWebhookEndpoint",
    "RetryWebhookDelivery",
  ])(
    "%s: ≥ 10,000 generated bodies, never a 5xx, every 400 names its fields, nothing stored from a refused body",
    async (id) => {
      const target = targets.find((t) => t.id === id)!;
      // The previous route's accepted bodies may have left the endpoint disabled (a generated
      // PUT with `enabled: false`), which the test and retry writes refuse (D-168): enable it.
      await local.api.expect(200, "PUT", "/webhook-endpoint", {
        key: owner.apiKey,
        body: { url: receivers.url("/fuzz"), enabled: true },
      });
      const before = await tableItems(local.stack.tableName);
      let accepted = 0;
      const statuses = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(bodies(target), async ({ text }) => {
          const response = await send(target, text);
          const body = JSON.parse(response.body || "null");
          const key = `${response.statusCode} ${body?.code ?? ""}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          expect(response.statusCode).toBeLessThan(500);
          expect(leaksIn(response.body ?? "", [], text)).toEqual([]);
          if (response.statusCode < 300) {
            accepted += 1;
            return;
          }
          expect([400, 404, 409, 413, 422]).toContain(response.statusCode);
          expect(response.headers?.["content-type"]).toBe("application/problem+json");
          if (response.statusCode === 400) {
            expect(["MALFORMED_JSON", "VALIDATION_FAILED"]).toContain(body.code);
            expect(body.errors.length).toBeGreaterThan(0);
            for (const error of body.errors) expect(error.path.length).toBeGreaterThan(0);
          }
        }),
        propertyParams(`BI ${id}`, RUNS),
      );
      const after = await tableItems(local.stack.tableName);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
        (k) => before.get(k) !== after.get(k),
      );
      const unexplained = changed.filter(
        (k) => !target.explains(k, `${after.get(k) ?? before.get(k)}`),
      );
      process.stdout.write(
        `[BI] ${id}: ${RUNS} bodies; accepted ${accepted}; ${JSON.stringify(Object.fromEntries(statuses))}\n`,
      );
      expect(accepted).toBeGreaterThan(0);
      expect(unexplained).toEqual([]);
    },
    300_000,
  );
});
