import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, paginateScan } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { ApiClient, onboard, orderBodyOf, type Trader, waitFor } from "../../lib/client/api-client";
import { REPO_ROOT } from "../../lib/repo-root";
import {
  dynamoDbLocalChildren,
  isRunning,
  killEverything,
  type LocalStackProcess,
  spawnLocalStack,
  waitUntil,
} from "../support/local-stack-process";
import { workedExample } from "../support/worked-example";

/**
 * The local trial clock (docs/api.md "The local trial clock", D-199) with `npm start` as a
 * user runs it: `--clock 2027-03-27T11:57:30Z` rehearses the day before the clocks go forward
 * (the delivery day 2027-03-28 has 46 settlement periods). The worked example's look-ahead, with
 * no gate closure of its own, takes the default 12:00 Europe/London on D-1 (12:00Z in GMT), the
 * generators trade, and the workflow's Wait ends by the platform's clock (the real one is months
 * earlier) and publishes. Every instant the platform stored is on that clock. Then the clock only
 * moves forward: an earlier `--clock` on the same data is refused (exit 2), no `--clock` keeps the
 * trial clock, a later one jumps ahead.
 */
const KEYS = {
  BITRADER_OPERATOR_KEY: "btr_clock-operator-key-0123456789abcdefghijklmnopq",
  BITRADER_ANM_KEY: "btr_clock-anm-key-0123456789abcdefghijklmnopqrstuvw",
};
const CLOCK = "2027-03-27T11:57:30Z";
const CLOCK_MS = Date.parse(CLOCK);
const DAY = "2027-03-28";
const scenario = workedExample();

/** The worked example moved to the 46-SP clock-change day: two quiet early SPs dropped. */
function clockChangeLookAhead() {
  const la = structuredClone(scenario.lookAhead);
  const drop = (values: number[]) => values.filter((_, i) => i !== 2 && i !== 3);
  la.lookAheadId = "la-clock-change";
  la.deliveryDate = DAY;
  la.issuedAt = CLOCK;
  for (const c of la.constraints) c.requiredCurtailmentMw = drop(c.requiredCurtailmentMw);
  for (const mol of la.mols)
    for (const entry of mol.entries) {
      if (entry.forecastMw) entry.forecastMw = drop(entry.forecastMw);
      delete entry.flexibleServiceWindows;
    }
  return la;
}

/** Attributes that hold an instant the platform took from its clock (not input data). */
const RECORD_INSTANTS = ["createdAt", "updatedAt", "at", "lastUsedAt", "revokedAt"];
const RECORD_MS = ["createdAtMs", "updatedAtMs", "submittedAtMs", "publishedAtMs", "receivedAtMs"];

const dirs: string[] = [];
const started: LocalStackProcess[] = [];
afterAll(() => {
  for (const stack of started) killEverything(stack, []);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, args: string[]): Promise<LocalStackProcess> {
  const stack = await spawnLocalStack({ ...KEYS, BITRADER_DATA_DIR: dataDir }, 60_000, { args });
  started.push(stack);
  return stack;
}

async function stop(stack: LocalStackProcess): Promise<void> {
  const java = dynamoDbLocalChildren(stack.child.pid!);
  process.kill(stack.child.pid!, "SIGTERM");
  await stack.exited;
  await waitUntil(() => java.every((pid) => !isRunning(pid)), 10_000);
}

async function storedItems(stack: LocalStackProcess): Promise<Record<string, unknown>[]> {
  const endpoint = /dynamodb local\s+(\S+)/.exec(stack.stderr())![1]!;
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: "eu-west-2",
      endpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client }, { TableName: "bitrader" }))
    items.push(...(page.Items ?? []));
  client.destroy();
  return items;
}

describe("a whole day on the trial clock (a clock-change day)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "bitrader-clock-"));
  dirs.push(dataDir);
  let stack: LocalStackProcess;
  let realStartMs: number;

  it("runs the day at the chosen date and publishes after gate closure by that clock", async () => {
    realStartMs = Date.now();
    stack = await start(dataDir, ["--clock", CLOCK]);
    expect(stack.stderr()).toMatch(
      /clock\s+2027-03-27T11:5\d:\d\d\.\d{3}Z\s+\(trial clock from 2027-03-27T11:57:30\.000Z\)/,
    );
    const api = new ApiClient(stack.url);
    const operator = KEYS.BITRADER_OPERATOR_KEY;
    const traders = new Map<string, Trader>();
    for (const asset of scenario.assets)
      traders.set(
        asset.participantId,
        await onboard(api, operator, {
          name: asset.participantId.toUpperCase(),
          anmSchemeId: scenario.lookAhead.anmSchemeId,
          entryIds: asset.molEntryIds,
        }),
      );
    const { cycleId } = await api.expect(202, "POST", "/anm/look-aheads", {
      key: KEYS.BITRADER_ANM_KEY,
      body: clockChangeLookAhead(),
    });
    const open = await waitFor(
      () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: operator }),
      (c) => c.status === "markets-open" || c.status === "failed",
    );
    expect(open.status).toBe("markets-open");
    // R-GATE-1 default: 12:00 Europe/London on D-1, still GMT on the 27th.
    expect(open.gateClosureAt).toBe("2027-03-27T12:00:00Z");
    const { items: markets } = await api.expect(200, "GET", `/markets?deliveryDate=${DAY}`, {
      key: operator,
    });
    expect(markets).toHaveLength(1);
    for (const [index, o] of scenario.orders.entries())
      await api.expect(201, "POST", "/orders", {
        key: traders.get(o.participantId)!.apiKey,
        body: orderBodyOf(o, markets[0].marketId),
        headers: { "idempotency-key": `clock-order-${index}` },
      });
    const published = await waitFor(
      () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: operator }),
      (c) => c.status === "published" || c.status === "failed",
      150_000,
      500,
    );
    expect(published.status).toBe("published");
    const { items: trades } = await api.expect(200, "GET", `/trades?deliveryDate=${DAY}`, {
      key: operator,
    });
    expect(trades.map((t: { quantityMw: number }) => t.quantityMw)).toEqual([3, 1.5]);
    // The workflow waited by the platform's clock and its history is stamped by it.
    const execution = await api.expect(200, "GET", `/cycles/${cycleId}/execution`, {
      key: operator,
    });
    const entered = execution.events.find(
      (e: { type: string; state?: string }) =>
        e.type === "TaskStateEntered" && e.state === "CloseMarkets",
    );
    expect(Date.parse(entered.at)).toBeGreaterThanOrEqual(Date.parse("2027-03-27T12:00:00Z"));
    expect(Date.parse(entered.at)).toBeLessThan(Date.parse("2027-03-27T12:01:00Z"));
    expect(Date.parse(execution.startedAt)).toBeGreaterThanOrEqual(CLOCK_MS);
  }, 240_000);

  it("stored every instant it took from its clock on that clock", async () => {
    const elapsed = Date.now() - realStartMs;
    const low = CLOCK_MS - 1_000;
    const high = CLOCK_MS + elapsed + 1_000;
    const seen: string[] = [];
    for (const item of await storedItems(stack)) {
      for (const name of RECORD_INSTANTS)
        if (typeof item[name] === "string") {
          const ms = Date.parse(item[name] as string);
          expect(ms, `${item.pk} ${item.sk} ${name}`).toBeGreaterThanOrEqual(low);
          expect(ms, `${item.pk} ${item.sk} ${name}`).toBeLessThanOrEqual(high);
          seen.push(name);
        }
      for (const name of RECORD_MS)
        if (typeof item[name] === "number") {
          expect(item[name], `${item.pk} ${item.sk} ${name}`).toBeGreaterThanOrEqual(low);
          expect(item[name], `${item.pk} ${item.sk} ${name}`).toBeLessThanOrEqual(high);
          seen.push(name);
        }
      // Idempotency records expire 24 h after the platform's now.
      if (typeof item.expiration === "number" && String(item.pk).startsWith("IDEMPOTENCY#")) {
        expect(item.expiration * 1000).toBeGreaterThanOrEqual(low + 86_400_000);
        expect(item.expiration * 1000).toBeLessThanOrEqual(high + 86_400_000);
        seen.push("expiration");
      }
    }
    for (const name of ["createdAt", "at", "createdAtMs", "submittedAtMs", "publishedAtMs"])
      expect(seen, name).toContain(name);
    expect(seen).toContain("expiration");
  });

  it("moves forward only: an earlier --clock on the same data is refused; none keeps it", async () => {
    await stop(stack);
    const refused = spawnSync(
      process.execPath,
      ["--import", "tsx", "bin/local.ts", "--clock", "2027-03-27T11:00:00Z"],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...KEYS, BITRADER_DATA_DIR: dataDir, PORT: "0", SFN_PORT: "0" },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(
      /--clock 2027-03-27T11:00:00Z is earlier than the stored data has seen \(2027-03-27T1\d:\d\d:\d\d\.\d{3}Z\): the trial clock only moves forward/,
    );
    const kept = await start(dataDir, []);
    expect(kept.stderr()).toMatch(/clock\s+2027-03-27T1\d:\d\d:\d\d\.\d{3}Z\s+\(trial clock kept/);
    await stop(kept);
    const later = await start(dataDir, ["--clock", "2027-04-06T09:00:00+01:00"]);
    expect(later.stderr()).toMatch(
      /clock\s+2027-04-06T08:0\d:\d\d\.\d{3}Z\s+\(trial clock from 2027-04-06T08:00:00\.000Z\)/,
    );
    await stop(later);
  }, 180_000);
});
