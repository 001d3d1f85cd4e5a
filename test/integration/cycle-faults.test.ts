import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleIdOf } from "../../functions/core/use-cases/submit-look-ahead";
import { ApiClient, onboard, waitFor } from "../../lib/client/api-client";
import type { LambdaHandler } from "../../lib/local/lambda-context";
import { type LocalStack, startLocalStack } from "../../lib/local/local-stack";
import { REPO_ROOT } from "../../lib/repo-root";
import { workedExample } from "../support/worked-example";

/**
 * Fault injection (reliability.md, FI): a workflow task crashes after writing part of its output
 * (or after writing all of it, before reporting success); the ASL's Retry runs it again, and the
 * final trades and MOL must equal those of a clean run. A task that keeps failing ends the cycle
 * `failed`, with the original MOL published and the failing step shown to the operator.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

type Plan = { kind: "end" | "always"; crashes: number };
const plans = new Map<string, Plan>();

class InjectedCrash extends Error {
  override name = "InjectedCrash";
}

function wrapTask(state: string, handler: LambdaHandler): LambdaHandler {
  return async (event, ctx) => {
    const cycleId = (event as { cycleId?: string }).cycleId ?? "";
    const plan = plans.get(`${cycleId}|${state}`);
    if (!plan || (plan.kind !== "always" && plan.crashes > 0)) return handler(event, ctx);
    await handler(event, ctx);
    plan.crashes += 1;
    throw new InjectedCrash(`${state} crashed after writing everything, before reporting success`);
  };
}

let stack: LocalStack;
let api: ApiClient;
const scenario = workedExample();

beforeAll(async () => {
  stack = await startLocalStack({ root: REPO_ROOT, inMemory: true, wrapTask });
  api = new ApiClient(stack.url);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

/** Runs the worked example as its own scheme; returns its trades and MOL with ids normalised. */
async function runCycle(name: string, faults: Record<string, Plan["kind"]>) {
  const scheme = `FI-${name}-${process.pid}`;
  const traders = new Map<string, string>();
  for (const asset of scenario.assets)
    traders.set(
      asset.participantId,
      (
        await onboard(api, stack.keys.operator, {
          name: `${name}${asset.participantId}`,
          anmSchemeId: scheme,
          entryIds: asset.molEntryIds,
        })
      ).apiKey,
    );
  const body = {
    ...structuredClone(scenario.lookAhead),
    anmSchemeId: scheme,
    lookAheadId: `LA-${name}`,
    gateClosureAt: new Date(Date.now() + 9_000).toISOString(),
  };
  // Plans are in place before the look-ahead arrives: the execution starts with the request.
  const cycleId = cycleIdOf(scheme, body.lookAheadId);
  const applied: Plan[] = [];
  for (const [state, kind] of Object.entries(faults)) {
    const plan = { kind, crashes: 0 };
    plans.set(`${cycleId}|${state}`, plan);
    applied.push(plan);
  }
  const accepted = await api.expect(202, "POST", "/anm/look-aheads", {
    key: stack.keys.anm,
    body,
  });
  expect(accepted.cycleId).toBe(cycleId);
  const cycle = await waitFor(
    () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: stack.keys.operator }),
    (c) => c.status !== "running",
    30_000,
  );
  if (cycle.status === "markets-open") {
    const { items } = await api.expect(
      200,
      "GET",
      `/opportunities?deliveryDate=${body.deliveryDate}`,
      { key: traders.get("g4")! },
    );
    for (const o of scenario.orders)
      await api.expect(201, "POST", "/orders", {
        key: traders.get(o.participantId)!,
        body: {
          marketId: items[0].marketId,
          entryId: o.entryId,
          side: o.side,
          quantityMw: o.quantityMw,
          availabilityPrice: o.availabilityPrice,
          utilisationPrice: o.utilisationPrice,
          ...(o.serviceType ? { serviceType: o.serviceType } : {}),
        },
      });
  }
  const done = await waitFor(
    () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: stack.keys.operator }),
    (c) => c.status === "published" || c.status === "failed",
    40_000,
  );
  const trades = (
    await api.expect(200, "GET", `/trades?deliveryDate=${body.deliveryDate}`, {
      key: traders.get("g4")!,
    })
  ).items;
  const mol = await api.expect(
    200,
    "GET",
    `/anm/merit-order?anmSchemeId=${scheme}&deliveryDate=${body.deliveryDate}&constraintId=C1`,
    { key: stack.keys.anm },
  );
  const tradeIds: string[] = trades.map((t: { tradeId: string }) => t.tradeId);
  const normal = (text: string) =>
    text
      .replace(/trd-[0-9a-f]+/g, (id) => `T${tradeIds.indexOf(id)}`)
      .replace(/mkt-[0-9a-f]+/g, "M");
  return {
    cycle: done,
    crashes: applied.map((p) => p.crashes),
    trades: JSON.parse(
      normal(
        JSON.stringify(
          trades.map(({ buyOrderId: _b, sellOrderId: _s, ...t }: Record<string, unknown>) => t),
        ),
      ),
    ),
    mol: JSON.parse(
      normal(
        JSON.stringify({
          status: mol.status,
          fallback: mol.fallback,
          version: mol.version,
          segments: mol.segments,
        }),
      ),
    ),
  };
}

const STEPS = [
  "IngestLookAhead",
  "DeriveOpportunities",
  "OpenMarkets",
  "CloseMarkets",
  "Match",
  "ReorderMeritOrder",
  "Publish",
];

describe("FI: a crashed task is retried to the same result", () => {
  it("gives the clean run's trades and MOL when every task crashes once after writing its output", async () => {
    const runs = await Promise.all([
      runCycle("clean", {}),
      ...STEPS.map((step) => runCycle(`end${step}`, { [step]: "end" })),
    ]);
    const [clean, ...faulty] = runs;
    expect(clean!.cycle.status).toBe("published");
    expect(clean!.trades).toHaveLength(2);
    expect(clean!.mol.segments[0].entries).toHaveLength(9);
    faulty.forEach((run, i) => {
      const label = STEPS[i]!;
      expect(run.crashes[0], label).toBeGreaterThan(0);
      expect(run.cycle.status, label).toBe("published");
      expect(run.trades, label).toEqual(clean!.trades);
      expect(run.mol, label).toEqual(clean!.mol);
    });
  }, 180_000);

  it("ends a cycle whose task keeps failing as `failed`, with the original MOL published and the step shown", async () => {
    const run = await runCycle("broken", { Match: "always" });
    expect(run.cycle.status).toBe("failed");
    expect(run.cycle.failure).toMatchObject({ step: "Match", error: "InjectedCrash" });
    expect(run.cycle.failure.cause).not.toMatch(/\n\s+at /);
    expect(run.mol).toMatchObject({ status: "published", fallback: true, segments: [] });
  }, 90_000);
});
