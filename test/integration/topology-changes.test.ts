import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, onboard, orderBodyOf, type Trader, waitFor } from "../../lib/client/api-client";
import { REPO_ROOT } from "../../lib/repo-root";
import { TestDns } from "../support/dns-server";
import {
  dynamoDbLocalChildren,
  isRunning,
  killEverything,
  type LocalStackProcess,
  spawnLocalStack,
  waitUntil,
} from "../support/local-stack-process";
import { postTradeExample } from "../support/post-trade-example";
import { eventually, verified, WebhookReceivers } from "../support/webhook-receiver";

/**
 * Day-of verification through the API on the trial clock (R-VERIFY-1..7, variant D of the
 * post-trade worked example): the day-ahead cycle runs on D-1 by the platform's clock, the stack
 * restarts with the clock at 12:41:05 on the delivery day, and the ANM posts the topology change
 * that moves G5 behind a new constraint C2. T1 is cancelled from SP28, C1's version 2 is the
 * worked example's, g4 and g5 receive `trade.cancelled`, GET /trades shows the cancellation — and
 * `npm run simulate -- --post-trade` on the same inputs (the stack's receive times) gives the
 * same results, compared field by field (trade ids renamed to the scenario's names). Then replays
 * (100 sequential, 20 concurrent) change nothing, and two different changes racing are applied in
 * receive order exactly as the simulation applies them one after the other.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const KEYS = {
  BITRADER_OPERATOR_KEY: "btr_verify-operator-key-0123456789abcdefghijklmno",
  BITRADER_ANM_KEY: "btr_verify-anm-key-0123456789abcdefghijklmnopqrstu",
};
const example = postTradeExample();
const D = example.variants.find((v: { name: string }) => v.name === "topology-change");
const CHANGE = D.topologyChanges[0].body;
const SCHEME = example.lookAhead.anmSchemeId as string;
const DATE = example.lookAhead.deliveryDate as string;
const operator = KEYS.BITRADER_OPERATOR_KEY;
const anm = KEYS.BITRADER_ANM_KEY;

const dns = new TestDns();
const receivers = new WebhookReceivers();
const dirs: string[] = [];
let stack: LocalStackProcess | undefined;
beforeAll(async () => {
  await dns.start();
  await receivers.start();
});
afterAll(async () => {
  killEverything(stack, []);
  await receivers.stop();
  await dns.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, clock: string): Promise<ApiClient> {
  stack = await spawnLocalStack(
    {
      ...KEYS,
      BITRADER_DATA_DIR: dataDir,
      WEBHOOK_DNS_SERVERS: dns.server,
      WEBHOOK_POLL_MS: "100",
    },
    90_000,
    { args: ["--clock", clock] },
  );
  return new ApiClient(stack.url);
}

async function stop(): Promise<void> {
  const java = dynamoDbLocalChildren(stack!.child.pid!);
  process.kill(stack!.child.pid!, "SIGTERM");
  await stack!.exited;
  await waitUntil(() => java.every((pid) => !isRunning(pid)), 10_000);
}

/** `npm run simulate -- --post-trade` on the example with variant D's changes replaced. */
async function simulate(changes: { body: unknown; receivedAt: string }[]) {
  const dir = mkdtempSync(join(tmpdir(), "bitrader-verify-sim-"));
  dirs.push(dir);
  const scenario = postTradeExample();
  const variant = scenario.variants.find((v: { name: string }) => v.name === "topology-change");
  variant.topologyChanges = changes;
  scenario.variants = [variant];
  const file = join(dir, "scenario.json");
  writeFileSync(file, JSON.stringify(scenario));
  // Asynchronously: the test's open connections to the stack stay served meanwhile.
  const run = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "bin/simulate.ts", "--post-trade", file],
    { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(run.stdout).variants[0];
}

type Json = Record<string, any>;

describe("variant D through the API on the trial clock", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "bitrader-verify-"));
  dirs.push(dataDir);
  const traders = new Map<string, Trader>();
  const secrets = new Map<string, string>();
  let api: ApiClient;
  let rename: (value: unknown) => Json;
  let result: Json;

  it("runs the day-ahead cycle on D-1; a change before publication is 409 and stored nowhere", async () => {
    api = await start(dataDir, "2027-06-13T11:58:20+01:00");
    for (const asset of example.assets)
      traders.set(
        asset.participantId,
        await onboard(api, operator, {
          name: asset.participantId.toUpperCase(),
          anmSchemeId: SCHEME,
          entryIds: asset.molEntryIds,
        }),
      );
    for (const [name, key] of [
      ...[...traders].map(([n, t]) => [n, t.apiKey] as const),
      ["anm", anm] as const,
    ]) {
      const created = await api.expect(201, "PUT", "/webhook-endpoint", {
        key,
        body: { url: receivers.url(`/${name}`) },
      });
      secrets.set(name, created.secret);
    }
    const { cycleId } = await api.expect(202, "POST", "/anm/look-aheads", {
      key: anm,
      body: { ...example.lookAhead, issuedAt: "2027-06-13T11:58:00+01:00" },
    });
    await waitFor(
      () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: operator }),
      (c) => c.status === "markets-open" || c.status === "failed",
    );
    const { items: markets } = await api.expect(200, "GET", `/markets?deliveryDate=${DATE}`, {
      key: operator,
    });
    for (const [index, o] of example.orders.entries())
      await api.expect(201, "POST", "/orders", {
        key: traders.get(o.participantId)!.apiKey,
        body: orderBodyOf(o, markets[0].marketId),
        headers: { "idempotency-key": `verify-order-${index}` },
      });
    // R-VERIFY-7: before publication.
    const early = await api.expect(409, "POST", "/anm/topology-changes", {
      key: anm,
      body: CHANGE,
    });
    expect(early.code).toBe("MERIT_ORDER_NOT_PUBLISHED");
    const none = await api.expect(
      200,
      "GET",
      `/anm/topology-changes?anmSchemeId=${SCHEME}&deliveryDate=${DATE}`,
      { key: operator },
    );
    expect(none.items).toEqual([]);
    const published = await waitFor(
      () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: operator }),
      (c) => c.status === "published" || c.status === "failed",
      240_000,
      500,
    );
    expect(published.status).toBe("published");
    const { items: trades } = await api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: operator,
    });
    const names = new Map<string, string>(
      example.trades.map((t: Json) => [
        trades.find((l: Json) => l.buyEntryId === t.buyEntryId && l.sellEntryId === t.sellEntryId)
          .tradeId,
        t.tradeId,
      ]),
    );
    expect(names.size).toBe(2);
    rename = (value) =>
      JSON.parse(
        [...names].reduce((s, [id, name]) => s.split(id).join(name), JSON.stringify(value)),
      );
    await stop();
  }, 400_000);

  it("refuses bad changes with field paths and stores nothing (422, 400)", async () => {
    api = await start(dataDir, "2027-06-14T12:41:05+01:00");
    const bad = structuredClone(CHANGE);
    bad.constraints[0].entries[0].capacityMw = 6; // differs from the look-ahead (D-2)
    bad.constraints[0].entries[1].curtailmentOrder = 7; // gapped order
    bad.constraints[1].requiredCurtailmentMw = [1, 2]; // wrong length
    const refused = await api.expect(422, "POST", "/anm/topology-changes", { key: anm, body: bad });
    expect(refused.code).toBe("TOPOLOGY_CHANGE_INVALID");
    const paths = refused.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "constraints.0.entries.0.entryId",
        "constraints.0.entries",
        "constraints.1.requiredCurtailmentMw",
      ]),
    );
    const unknownDay = await api.expect(422, "POST", "/anm/topology-changes", {
      key: anm,
      body: { ...CHANGE, deliveryDate: "2027-06-20" },
    });
    expect(unknownDay.errors).toEqual([expect.objectContaining({ path: "deliveryDate" })]);
    const shape = await api.expect(400, "POST", "/anm/topology-changes", {
      key: anm,
      body: { ...CHANGE, extra: 1 },
    });
    expect(shape.code).toBe("VALIDATION_FAILED");
    // R-VERIFY-8: on the delivery day the veto deadline (14:00 on D-1) has passed.
    const { items: dayMarkets } = await api.expect(200, "GET", `/markets?deliveryDate=${DATE}`, {
      key: operator,
    });
    const late = await api.expect(409, "POST", "/anm/market-vetoes", {
      key: anm,
      body: { marketId: dayMarkets[0].marketId, reason: "too late" },
    });
    expect(late.code).toBe("VETO_DEADLINE_PASSED");
    const stillConfirmed = await api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: operator,
    });
    expect(stillConfirmed.items.map((t: Json) => t.status)).toEqual(["confirmed", "confirmed"]);
    // D-195: an ANM key bound to another scheme is told nothing (404, as for an unknown scheme).
    await api.expect(201, "PUT", "/schemes/OTHER-ANM", {
      key: operator,
      body: { name: "Another scheme", effectiveFrom: "2027-06-20" },
    });
    const other = await api.expect(201, "POST", "/schemes/OTHER-ANM/anm-keys", {
      key: operator,
      body: { name: "Other ANM" },
    });
    const hidden = await api.expect(404, "POST", "/anm/topology-changes", {
      key: other.apiKey,
      body: CHANGE,
    });
    expect(hidden.code).toBe("NOT_FOUND");
    await api.expect(
      404,
      "GET",
      `/anm/topology-changes?anmSchemeId=${SCHEME}&deliveryDate=${DATE}`,
      { key: other.apiKey },
    );
    const none = await api.expect(
      200,
      "GET",
      `/anm/topology-changes?anmSchemeId=${SCHEME}&deliveryDate=${DATE}`,
      { key: anm },
    );
    expect(none.items).toEqual([]);
  }, 120_000);

  it("at 12:41:05 cancels T1 from SP28 and publishes C1 version 2 (variant D)", async () => {
    result = await api.expect(201, "POST", "/anm/topology-changes", { key: anm, body: CHANGE });
    const receivedMs = Date.parse(result.receivedAt);
    expect(receivedMs).toBeGreaterThanOrEqual(Date.parse("2027-06-14T12:41:05+01:00"));
    expect(receivedMs).toBeLessThan(Date.parse("2027-06-14T12:45:00+01:00"));
    expect(rename(result)).toMatchObject({
      effect: "applied",
      cancellationSp: 28,
      cancellationFrom: "2027-06-14T12:30:00Z",
      cancelledTrades: [
        { tradeId: "T1", cancelledFromSp: 28, cancelledFrom: "2027-06-14T12:30:00Z" },
      ],
      publishedVersions: [{ constraintId: "C1", version: 2 }],
    });
    const v2 = await api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1&version=2`,
      { key: anm },
    );
    expect(rename(v2)).toMatchObject(D.expected.meritOrders[0]);
    expect(v2).toMatchObject({ supersedesVersion: 1, reason: "topology-change" });
    // The latest is version 2: the one in force for every SP; version 1 stays readable.
    const latest = await api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1`,
      { key: operator },
    );
    expect(latest).toEqual(v2);
    const v1 = await api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1&version=1`,
      { key: anm },
    );
    expect(v1).toMatchObject({ version: 1, reason: "day-ahead", supersedesVersion: null });
    expect(v1.segments).toHaveLength(1);
    await api.expect(
      404,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1&version=3`,
      { key: anm },
    );
    const { items: trades } = await api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: operator,
    });
    expect(rename(trades).map((t: Json) => [t.tradeId, t.status])).toEqual([
      ["T1", "cancelled"],
      ["T2", "confirmed"],
    ]);
    expect(rename(trades)[0]).toMatchObject({
      cancelledFromSp: 28,
      cancelledFrom: "2027-06-14T12:30:00Z",
      cancellationReason: "topology-change",
      topologyChangeId: CHANGE.topologyChangeId,
    });
    // The seller sees its own trade cancelled too.
    const g5 = await api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: traders.get("g5")!.apiKey,
    });
    expect(g5.items.map((t: Json) => t.status)).toEqual(["cancelled"]);
  }, 120_000);

  it("delivers trade.cancelled to both parties and version 2's events to the ANM, g1, g4, g5", async () => {
    const afterChange = () =>
      receivers.requests
        .map((r) => ({ name: r.path.slice(1), event: verified(r, secrets.get(r.path.slice(1))!) }))
        .filter(({ event }) => event.type === "trade.cancelled" || event.data?.version === 2);
    const want = [
      "anm merit-order.published",
      "g1 dispatch.instruction",
      "g1 merit-order.published",
      "g4 dispatch.instruction",
      "g4 merit-order.published",
      "g4 trade.cancelled",
      "g5 dispatch.instruction",
      "g5 merit-order.published",
      "g5 trade.cancelled",
    ];
    const got = () => [...new Set(afterChange().map((x) => `${x.name} ${x.event.type}`))].sort();
    await eventually(got, (list) => list.length >= want.length, "the change's events", 60_000);
    expect(got()).toEqual(want);
    const g5 = afterChange().find(
      (x) => x.name === "g5" && x.event.type === "dispatch.instruction",
    )!;
    // g5's instruction lists G5-A/T1 for SP25–27 only.
    expect(JSON.stringify(rename(g5.event.data))).toContain("G5-A/T1");
  }, 90_000);

  it("gives the same results as simulate --post-trade on the same inputs (compared mechanically)", async () => {
    const sim = await simulate([{ body: CHANGE, receivedAt: result.receivedAt }]);
    expect(sim.rejected).toEqual([]);
    const { replayed: _r, ...simulated } = sim.topologyChanges[0];
    expect(rename(result)).toEqual(simulated);
    const v2 = await api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1&version=2`,
      { key: anm },
    );
    const { fallback, ...shown } = rename(v2);
    expect(fallback).toBe(false);
    expect(shown).toEqual(
      sim.meritOrders.find((m: Json) => m.constraintId === "C1" && m.version === 2),
    );
    const { items: trades } = await api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: operator,
    });
    const t1 = rename(trades).find((t: Json) => t.tradeId === "T1");
    const c = sim.cancellations[0];
    for (const field of [
      "status",
      "cancelledFromSp",
      "cancelledFrom",
      "cancellationReason",
      "topologyChangeId",
    ])
      expect(t1[field], field).toEqual(c[field]);
    // Events: the same types, recipients and data.
    const simEvents = sim.events
      .filter((e: Json) => e.type === "trade.cancelled" || e.data?.version === 2)
      .map((e: Json) => JSON.stringify([e.recipient, e.type, e.data]))
      .sort();
    const stackEvents = [
      ...new Set(
        receivers.requests
          .map((r) => ({
            name: r.path.slice(1),
            event: verified(r, secrets.get(r.path.slice(1))!),
          }))
          .filter(({ event }) => event.type === "trade.cancelled" || event.data?.version === 2)
          .map(({ name, event }) => JSON.stringify([name, event.type, rename(event.data)])),
      ),
    ].sort();
    expect(stackEvents).toEqual(simEvents);
  }, 180_000);

  it("replays of the change (100 sequential, 20 concurrent) give one result, one version, one set of events", async () => {
    for (let i = 0; i < 100; i += 1) {
      const again = await api.expect(200, "POST", "/anm/topology-changes", {
        key: anm,
        body: CHANGE,
      });
      expect(again).toEqual(result);
    }
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.request("POST", "/anm/topology-changes", { key: anm, body: CHANGE }),
      ),
    );
    for (const r of concurrent) {
      expect(r.status).toBe(200);
      expect(r.body).toEqual(result);
    }
    const other = structuredClone(CHANGE);
    other.effectiveFrom = "2027-06-14T12:45:00+01:00";
    const conflict = await api.expect(409, "POST", "/anm/topology-changes", {
      key: anm,
      body: other,
    });
    expect(conflict.code).toBe("TOPOLOGY_CHANGE_CONFLICT");
    const listed = await api.expect(
      200,
      "GET",
      `/anm/topology-changes?anmSchemeId=${SCHEME}&deliveryDate=${DATE}`,
      { key: anm },
    );
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ state: "applied", sequence: 1, result });
    await api.expect(
      404,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1&version=3`,
      { key: anm },
    );
    // Every event of the change was delivered once per receiver (webhook-id).
    await new Promise((wake) => setTimeout(wake, 2_000));
    const ids = receivers.requests
      .filter((r) => {
        const e = JSON.parse(r.body);
        return e.type === "trade.cancelled" || e.data?.version === 2;
      })
      .map((r) => r.headers["webhook-id"]);
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
  }, 300_000);

  it("applies two different changes racing in receive order, as the simulation does one after the other", async () => {
    const reorder = structuredClone(CHANGE);
    reorder.topologyChangeId = "TC-RACE-REORDER";
    reorder.effectiveFrom = "2027-06-14T12:45:00+01:00";
    reorder.constraints = [
      {
        constraintId: "C1",
        entries: [
          { entryId: "G4-A", resourceId: "G4", capacityMw: 5, curtailmentOrder: 1 },
          { entryId: "G3-A", resourceId: "G3", capacityMw: 4, curtailmentOrder: 2 },
          { entryId: "G3-B", resourceId: "G3", capacityMw: 2, curtailmentOrder: 3 },
          { entryId: "G2-A", resourceId: "G2", capacityMw: 8, curtailmentOrder: 4 },
          { entryId: "G1-A", resourceId: "G1", capacityMw: 10, curtailmentOrder: 5 },
        ],
      },
    ];
    const moveG1 = structuredClone(CHANGE);
    moveG1.topologyChangeId = "TC-RACE-MOVE-G1";
    moveG1.effectiveFrom = "2027-06-14T12:45:00+01:00";
    moveG1.constraints = [
      {
        constraintId: "C1",
        entries: [
          { entryId: "G4-A", resourceId: "G4", capacityMw: 5, curtailmentOrder: 1 },
          { entryId: "G3-B", resourceId: "G3", capacityMw: 2, curtailmentOrder: 2 },
          { entryId: "G3-A", resourceId: "G3", capacityMw: 4, curtailmentOrder: 3 },
          { entryId: "G2-A", resourceId: "G2", capacityMw: 8, curtailmentOrder: 4 },
        ],
      },
      {
        constraintId: "C3",
        name: "new circuit for G1",
        entries: [{ entryId: "G1-A", resourceId: "G1", capacityMw: 10, curtailmentOrder: 1 }],
      },
    ];
    const raced = await Promise.all(
      [reorder, moveG1].map((body) =>
        api.expect(201, "POST", "/anm/topology-changes", { key: anm, body }),
      ),
    );
    const listed = await api.expect(
      200,
      "GET",
      `/anm/topology-changes?anmSchemeId=${SCHEME}&deliveryDate=${DATE}`,
      { key: operator },
    );
    const order = listed.items.map((c: Json) => c.topologyChangeId);
    expect(listed.items.map((c: Json) => c.sequence)).toEqual([1, 2, 3]);
    expect(listed.items.every((c: Json) => c.state === "applied")).toBe(true);
    const bodies = new Map<string, unknown>([
      [CHANGE.topologyChangeId, CHANGE],
      [reorder.topologyChangeId, reorder],
      [moveG1.topologyChangeId, moveG1],
    ]);
    // One after the other, in the stack's receive order, with its receive times.
    const sim = await simulate(
      listed.items.map((c: Json) => ({
        body: bodies.get(c.topologyChangeId),
        receivedAt: c.receivedAt,
      })),
    );
    expect(sim.rejected).toEqual([]);
    expect(listed.items.map((c: Json) => rename(c.result))).toEqual(
      sim.topologyChanges.map(({ replayed: _r, ...rest }: Json) => rest),
    );
    for (const r of raced) expect(order).toContain(r.topologyChangeId);
    // Final state: every version of C1 and C3, and every trade.
    for (const m of sim.meritOrders.filter((x: Json) => x.version > 1 || x.constraintId === "C3")) {
      const shown = await api.expect(
        200,
        "GET",
        `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=${m.constraintId}&version=${m.version}`,
        { key: anm },
      );
      const { fallback: _f, ...rest } = rename(shown);
      expect(rest, `${m.constraintId} v${m.version}`).toEqual(m);
    }
    const { items: trades } = await api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: operator,
    });
    for (const c of sim.cancellations) {
      const t = rename(trades).find((x: Json) => x.tradeId === c.tradeId);
      for (const field of [
        "status",
        "cancelledFromSp",
        "cancelledFrom",
        "cancellationReason",
        "topologyChangeId",
      ])
        expect(t[field], `${c.tradeId} ${field}`).toEqual(c[field]);
    }
    expect(rename(trades).filter((t: Json) => t.status !== "confirmed")).toHaveLength(
      sim.cancellations.length,
    );
  }, 300_000);

  it("records a change received after the day with recorded-after-delivery and changes nothing", async () => {
    const before = {
      trades: (await api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, { key: operator }))
        .items,
      mol: await api.expect(
        200,
        "GET",
        `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1`,
        { key: operator },
      ),
    };
    await stop();
    api = await start(dataDir, "2027-06-15T09:00:00+01:00");
    const late = structuredClone(CHANGE);
    late.topologyChangeId = "TC-LATE";
    late.effectiveFrom = "2027-06-14T22:00:00+01:00";
    const recorded = await api.expect(201, "POST", "/anm/topology-changes", {
      key: anm,
      body: late,
    });
    expect(recorded).toMatchObject({
      effect: "recorded-after-delivery",
      cancellationSp: null,
      cancellationFrom: null,
      cancelledTrades: [],
      publishedVersions: [],
    });
    const sim = await simulate([{ body: late, receivedAt: recorded.receivedAt }]);
    const { replayed: _r, ...simulated } = sim.topologyChanges[0];
    expect(recorded).toEqual(simulated);
    expect(
      (await api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, { key: operator })).items,
    ).toEqual(before.trades);
    expect(
      await api.expect(
        200,
        "GET",
        `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1`,
        { key: operator },
      ),
    ).toEqual(before.mol);
  }, 180_000);
});
