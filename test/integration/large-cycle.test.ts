import { GetExecutionHistoryCommand, SFNClient } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { submitOrder } from "../../functions/core/use-cases/trading";
import { deps } from "../../functions/runtime/deps";
import { onboard, type Trader, waitFor } from "../../lib/client/api-client";
import {
  type SyntheticScheme,
  syntheticEntriesOf,
  syntheticLookAhead,
  syntheticOrder,
} from "../../lib/client/synthetic-scheme";
import { useLocalStack } from "../support/use-local-stack";

/**
 * A large scheme through the whole workflow on the local stack: 2,000 MOL entries across 20
 * constraints and 5,000 orders. States pass ids only, so every state's input and output stays
 * under 32 KB; the test reads them back from the execution history.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const PARTICIPANTS = 40;
const ORDERS = 5_000;
const SCHEME: SyntheticScheme = {
  anmSchemeId: `BIG-${process.pid}`,
  deliveryDate: "2027-07-01",
  constraints: 20,
  entriesPerConstraint: 100,
  curtailedMw: 30,
  fromSp: 24,
  toSp: 28,
};

const local = useLocalStack();

describe("a cycle with 2,000 MOL entries, 20 constraints and 5,000 orders", () => {
  it("runs to publication with every state's input and output under 32 KB", async () => {
    const traders: Trader[] = [];
    for (let p = 0; p < PARTICIPANTS; p += 1)
      traders.push(
        await onboard(local.api, local.stack.keys.operator, {
          name: `P${p}`,
          anmSchemeId: SCHEME.anmSchemeId,
          entryIds: syntheticEntriesOf(SCHEME, p, PARTICIPANTS),
          exportCapacityMw: 100,
        }),
      );
    // Generous: 5,000 orders took 16 s on a quiet machine and over 45 s on a loaded one.
    const gateClosureAt = new Date(Date.now() + 120_000).toISOString();
    const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: syntheticLookAhead(SCHEME, gateClosureAt),
    });
    await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "markets-open",
      30_000,
    );

    // 5,000 orders through the same use case the API calls, 25 at a time.
    const opportunities = await deps.markets.listOpportunitiesOfCycle(cycleId);
    expect(opportunities.length).toBe(SCHEME.constraints * SCHEME.entriesPerConstraint);
    let placed = 0;
    const jobs = Array.from({ length: ORDERS }, (_, k) => {
      const o = opportunities[k % opportunities.length]!;
      return () =>
        submitOrder(deps, o.participantId, syntheticOrder(o, k, 0.3), {
          orderId: `ord-big-${k}`,
          receivedAtMs: Date.now(),
        }).then(() => {
          placed += 1;
        });
    });
    const placingFrom = Date.now();
    for (let i = 0; i < jobs.length; i += 25)
      await Promise.all(jobs.slice(i, i + 25).map((job) => job()));
    expect(placed).toBe(ORDERS);
    process.stdout.write(
      `[large cycle] ${ORDERS} orders placed in ${Date.now() - placingFrom} ms; gate closure in ${Date.parse(gateClosureAt) - Date.now()} ms\n`,
    );
    expect(Date.now()).toBeLessThan(Date.parse(gateClosureAt));

    const cycle = await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "published" || c.status === "failed",
      120_000,
      1_000,
    );
    expect(cycle.status).toBe("published");
    const trades = await deps.trades.listTradesOfCycle(cycleId);
    expect(trades.length).toBeGreaterThan(0);

    const sfn = new SFNClient({
      region: "eu-west-2",
      endpoint: local.stack.sfnEndpoint,
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
    });
    const { events } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: cycle.executionArn, maxResults: 1000 }),
    );
    sfn.destroy();
    const payloads = (events ?? []).flatMap((e) =>
      [e.stateEnteredEventDetails?.input, e.stateExitedEventDetails?.output].filter(
        (p): p is string => p !== undefined,
      ),
    );
    expect(payloads.length).toBeGreaterThanOrEqual(16);
    const largest = Math.max(...payloads.map((p) => Buffer.byteLength(p, "utf8")));
    process.stdout.write(
      `[large cycle] ${trades.length} trades; largest state payload ${largest} bytes\n`,
    );
    expect(largest).toBeLessThan(32 * 1024);
  }, 300_000);
});
