import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ApiClient, onboard, orderBodyOf, type Trader, waitFor } from "../../lib/client/api-client";
import {
  dynamoDbLocalChildren,
  isRunning,
  killEverything,
  type LocalStackProcess,
  spawnLocalStack,
  waitUntil,
} from "../support/local-stack-process";
import { expectedWithTradeIds, workedExample } from "../support/worked-example";

/**
 * Nothing lost across a restart (docs/api.md "The local trial clock": resume on start,
 * D-201), with `npm start` as a user runs it, on a data directory: the worked example's
 * look-ahead with gate closure ~25 s ahead and its orders placed, then
 * - the stack stopped (SIGTERM) before gate closure and started again after it, and
 * - the stack killed (SIGKILL) in the middle of Match (after its second write), started again;
 * each time the cycle ends `published` with the trades and the re-ordered MOL of an uninterrupted
 * run (the worked example's expected block, which the day-ahead cycle test checks on a clean
 * run), under a new attempt of its workflow.
 */
const KEYS = {
  BITRADER_OPERATOR_KEY: "btr_restart-operator-key-0123456789abcdefghijklmno",
  BITRADER_ANM_KEY: "btr_restart-anm-key-0123456789abcdefghijklmnopqrstu",
};
const scenario = workedExample();
const SCHEME = scenario.lookAhead.anmSchemeId as string;
const DATE = scenario.lookAhead.deliveryDate as string;

const dirs: string[] = [];
const started: LocalStackProcess[] = [];
const javas: number[] = [];

afterAll(() => {
  for (const stack of started) killEverything(stack, javas);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, script?: string): Promise<LocalStackProcess> {
  const stack = await spawnLocalStack({ ...KEYS, BITRADER_DATA_DIR: dataDir }, 60_000, {
    args: [],
    ...(script ? { script } : {}),
  });
  started.push(stack);
  javas.push(...dynamoDbLocalChildren(stack.child.pid!));
  return stack;
}

/** Stops a stack with a signal and waits until it and its DynamoDB Local are gone. */
async function stop(stack: LocalStackProcess, signal: NodeJS.Signals): Promise<void> {
  const java = dynamoDbLocalChildren(stack.child.pid!);
  process.kill(signal === "SIGKILL" ? -stack.child.pid! : stack.child.pid!, signal);
  await stack.exited;
  expect(await waitUntil(() => java.every((pid) => !isRunning(pid)), 10_000)).toBe(true);
}

/** Onboards the worked example's generators, posts the look-ahead and places its orders. */
async function openDay(api: ApiClient, gateClosureMs: number) {
  const traders = new Map<string, Trader>();
  for (const asset of scenario.assets)
    traders.set(
      asset.participantId,
      await onboard(api, KEYS.BITRADER_OPERATOR_KEY, {
        name: asset.participantId.toUpperCase(),
        anmSchemeId: SCHEME,
        entryIds: asset.molEntryIds,
      }),
    );
  const { cycleId } = await api.expect(202, "POST", "/anm/look-aheads", {
    key: KEYS.BITRADER_ANM_KEY,
    body: { ...scenario.lookAhead, gateClosureAt: new Date(gateClosureMs).toISOString() },
  });
  await waitFor(
    () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: KEYS.BITRADER_OPERATOR_KEY }),
    (c) => c.status === "markets-open",
  );
  const { items: markets } = await api.expect(200, "GET", `/markets?deliveryDate=${DATE}`, {
    key: KEYS.BITRADER_OPERATOR_KEY,
  });
  const orderIds: Record<string, string> = {};
  for (const o of scenario.orders) {
    const order = await api.expect(201, "POST", "/orders", {
      key: traders.get(o.participantId)!.apiKey,
      body: orderBodyOf(o, markets[0].marketId),
    });
    orderIds[o.orderId] = order.orderId;
  }
  expect(Date.now()).toBeLessThan(gateClosureMs);
  return { cycleId, orderIds };
}

/** The cycle ends published with the uninterrupted run's trades and MOL. */
async function expectCleanOutcome(
  api: ApiClient,
  cycleId: string,
  orderIds: Record<string, string>,
) {
  const key = KEYS.BITRADER_OPERATOR_KEY;
  const cycle = await waitFor(
    () => api.expect(200, "GET", `/cycles/${cycleId}`, { key }),
    (c) => c.status === "published" || c.status === "failed",
    60_000,
  );
  expect(cycle.status).toBe("published");
  expect(cycle.executionArn).toMatch(new RegExp(`:${cycleId}-2$`));
  const execution = await api.expect(200, "GET", `/cycles/${cycleId}/execution`, { key });
  expect(execution.status).toBe("SUCCEEDED");
  const { items: trades } = await api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, { key });
  const byOrder = Object.fromEntries(Object.entries(orderIds).map(([k, v]) => [v, k]));
  expect(
    trades.map((t: Record<string, unknown>) => ({
      buyOrderId: byOrder[t.buyOrderId as string],
      sellOrderId: byOrder[t.sellOrderId as string],
      buyEntryId: t.buyEntryId,
      sellEntryId: t.sellEntryId,
      quantityMw: t.quantityMw,
      availabilityPrice: t.availabilityPrice,
      utilisationPrice: t.utilisationPrice,
    })),
  ).toEqual(scenario.expected.trades);
  const expected = expectedWithTradeIds(scenario.expected, trades, orderIds);
  const mol = await api.expect(
    200,
    "GET",
    `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1`,
    { key: KEYS.BITRADER_ANM_KEY },
  );
  expect(mol).toMatchObject({ status: "published", version: 1, fallback: false });
  expect(
    mol.segments.map((s: Record<string, any>) => ({
      constraintId: "C1",
      validFrom: s.validFrom,
      validTo: s.validTo,
      entries: s.entries.map((e: Record<string, unknown>) => ({
        curtailmentOrder: e.curtailmentOrder,
        entryId: e.entryId,
        parentEntryId: e.parentEntryId,
        capacityMw: e.capacityMw,
        curtailmentMw: e.curtailmentMw,
      })),
    })),
  ).toEqual(expected.meritOrderSegments);
  const { items: orders } = await api.expect(200, "GET", `/markets?deliveryDate=${DATE}`, {
    key,
  });
  expect(orders.map((m: { status: string }) => m.status)).toEqual(["matched"]);
}

describe("a restart while a cycle waits for gate closure", () => {
  it("stopped (SIGTERM) before gate closure and started after it: the cycle is matched and published", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bitrader-restart-"));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const gateClosureMs = Date.now() + 25_000;
    const { cycleId, orderIds } = await openDay(new ApiClient(first.url), gateClosureMs);
    await stop(first, "SIGTERM");
    await new Promise((wake) => setTimeout(wake, Math.max(0, gateClosureMs - Date.now()) + 1_000));
    const second = await start(dataDir);
    expect(second.stderr()).toContain(`resumed         1 cycle(s): ${cycleId}`);
    await expectCleanOutcome(new ApiClient(second.url), cycleId, orderIds);
    await stop(second, "SIGTERM");
  }, 180_000);
});

describe("a crash in the middle of Match", () => {
  it("killed (SIGKILL) after Match's second write and started again: the same trades and MOL", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bitrader-crash-"));
    dirs.push(dataDir);
    const first = await start(dataDir, "test/fixtures/local/stack-stuck-in-match.ts");
    const gateClosureMs = Date.now() + 25_000;
    const { cycleId, orderIds } = await openDay(new ApiClient(first.url), gateClosureMs);
    expect(await waitUntil(() => first.stdout().includes("stuck in Match"), 60_000)).toBe(true);
    const midway = await new ApiClient(first.url).expect(200, "GET", `/cycles/${cycleId}`, {
      key: KEYS.BITRADER_OPERATOR_KEY,
    });
    expect(midway).toMatchObject({ status: "markets-open", step: "Match" });
    await stop(first, "SIGKILL");
    const second = await start(dataDir);
    expect(second.stderr()).toContain(`resumed         1 cycle(s): ${cycleId}`);
    await expectCleanOutcome(new ApiClient(second.url), cycleId, orderIds);
    await stop(second, "SIGTERM");
  }, 180_000);
});
