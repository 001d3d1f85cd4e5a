import { spawn } from "node:child_process";
import { join } from "node:path";
import { deps } from "../functions/runtime/deps";
import { ApiClient, onboard, type Trader, waitFor } from "../lib/client/api-client";
import {
  type SyntheticScheme,
  syntheticEntriesOf,
  syntheticLookAhead,
  syntheticOrder,
} from "../lib/client/synthetic-scheme";
import { startLocalStack } from "../lib/local/local-stack";
import { REPO_ROOT } from "../lib/repo-root";
import { sharedDynamoDbOf } from "./shared-dynamodb";

/** The `api` section: POST /orders at a fixed rate against GET /health, measured together. */
export interface ApiResult {
  /** Requests per second asked of each route. */
  rate: number;
  seconds: number;
  ordersSent: number;
  /** Orders per second the API answered on average. */
  ordersPerSecond: number;
  p99OrderMs: number;
  p99HealthMs: number;
  /** p99OrderMs / p99HealthMs: what an order costs beyond the HTTP path itself. */
  ratio: number;
  /** Order responses that were not 2xx, plus errors and timeouts. */
  non2xx: number;
  healthNon2xx: number;
  /** Orders found in the table afterwards: ordersSent − non2xx when nothing is lost or doubled. */
  ordersStored: number;
  /** DynamoDB requests made while the load ran, per order sent (authorizer included). */
  dynamodbRequestsPerOrder: number;
}

/** What the load generator reports for one route. */
interface RouteLoad {
  requests: number;
  rate: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface LoadOutput {
  orders: RouteLoad;
  health: RouteLoad;
}

const PARTICIPANTS = 8;
type Opportunity = { marketId: string; entryId: string; side: "buy" | "sell" };

function runLoad(plan: unknown): Promise<LoadOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "api-load.ts")],
      {
        cwd: REPO_ROOT,
        stdio: ["pipe", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`the load generator exited ${code}`));
      try {
        resolve(JSON.parse(out) as LoadOutput);
      } catch {
        reject(new Error("the load generator printed no result"));
      }
    });
    child.stdin.end(JSON.stringify(plan));
  });
}

/**
 * Opens one scheme's markets on a fresh local stack, prepares small orders for every
 * opportunity (far inside each entry's capacity, so every order should be accepted), then lets
 * the load generator send them at `rate` per second for `seconds`, alongside GET /health.
 */
export async function benchApi(
  rate: number,
  seconds: number,
  log: (message: string) => void,
): Promise<ApiResult> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
  let requests = 0;
  const stack = await startLocalStack({
    root: REPO_ROOT,
    inMemory: true,
    ...sharedDynamoDbOf("api"),
    instrumentDynamo: (client) =>
      client.middlewareStack.add(
        (next) => (args) => {
          requests += 1;
          return next(args);
        },
        { step: "initialize", name: "benchApiRequestCounter" },
      ),
  });
  try {
    const api = new ApiClient(stack.url);
    const scheme: SyntheticScheme = {
      anmSchemeId: `LOAD-${process.pid}`,
      deliveryDate: "2027-08-02",
      constraints: 4,
      entriesPerConstraint: 40,
      curtailedMw: 30,
      fromSp: 20,
      toSp: 30,
    };
    const traders: Trader[] = await Promise.all(
      Array.from({ length: PARTICIPANTS }, (_, p) =>
        onboard(api, stack.keys.operator, {
          name: `L${p}`,
          anmSchemeId: scheme.anmSchemeId,
          entryIds: syntheticEntriesOf(scheme, p, PARTICIPANTS),
          exportCapacityMw: 100,
        }),
      ),
    );
    const gateClosureAt = new Date(Date.now() + 60_000 + seconds * 2_000).toISOString();
    const { cycleId } = await api.expect(202, "POST", "/anm/look-aheads", {
      key: stack.keys.anm,
      body: syntheticLookAhead(scheme, gateClosureAt),
    });
    await waitFor(
      () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: stack.keys.operator }),
      (c) => c.status === "markets-open",
      60_000,
    );
    const orders: { key: string; body: string }[] = [];
    for (const trader of traders) {
      const { items } = await api.expect(
        200,
        "GET",
        `/opportunities?deliveryDate=${scheme.deliveryDate}`,
        {
          key: trader.apiKey,
        },
      );
      for (const [k, o] of (items as Opportunity[]).entries())
        orders.push({ key: trader.apiKey, body: JSON.stringify(syntheticOrder(o, k, 0.001)) });
    }
    // Each order takes 1 kW of an entry with 2,000 kW: far more orders than the run sends fit.
    if (orders.length * 2_000 < rate * seconds * 1.5)
      throw new Error(`${orders.length} opportunities cannot hold ${rate * seconds} orders`);
    log(
      `api: ${orders.length} opportunities; ${rate}/s of POST /orders and GET /health for ${seconds} s`,
    );
    const before = requests;
    const load = await runLoad({ url: stack.url, rate, seconds, orders });
    const duringLoad = requests - before;
    // Every accepted order is stored once: count them from the table.
    const markets = await deps.markets.listMarketsOfCycle(cycleId);
    let ordersStored = 0;
    for (const m of markets)
      ordersStored += (await deps.orders.ordersOfMarket(m.marketId, cycleId)).length;
    return {
      rate,
      seconds,
      ordersSent: load.orders.requests,
      ordersPerSecond: round(load.orders.rate),
      p99OrderMs: load.orders.p99Ms,
      p99HealthMs: load.health.p99Ms,
      ratio: round(load.orders.p99Ms / Math.max(1, load.health.p99Ms)),
      non2xx: load.orders.non2xx + load.orders.errors + load.orders.timeouts,
      ordersStored,
      dynamodbRequestsPerOrder: round(duringLoad / Math.max(1, load.orders.requests)),
      healthNon2xx: load.health.non2xx + load.health.errors + load.health.timeouts,
    };
  } finally {
    await stack.stop();
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
