import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { onboard, orderBodyOf, type Trader, waitFor } from "../../lib/client/api-client";
import { postTradeExample } from "../support/post-trade-example";
import { useLocalStack } from "../support/use-local-stack";

/**
 * Fault injection for day-of verification (reliability.md FI, as for the day-ahead cycle, D-31):
 * the processing of a topology change crashes right after its k-th write has been stored (k = 1
 * … n, n being what the clean run wrote: the change's record with its sequence, the new
 * version's pages, the transaction of versions, cancellations, events and the change marked
 * applied); the request fails, the TopologyChanges consumer (the change record's stream INSERT)
 * or a replay of the request runs it again, and the result, the versions, the trades and the
 * events equal the clean run's. Each run is variant D of the worked example on its own scheme,
 * so every run starts from the same published day.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

class InjectedCrash extends Error {
  override name = "InjectedCrash";
}

const WRITE_COMMAND = /^(BatchWrite|Put|Update|Delete|TransactWrite)(Item|Items)?Command$/;
/** The change whose processing writes are counted, and after which write to crash (once). */
const plan: {
  changeId?: string;
  crashAfter?: number;
  writes: number;
  commands: string[];
  crashes: number;
  /** Write requests already counted: a racing run's identical rewrite is not a new write. */
  seen: Set<string>;
} = { writes: 0, commands: [], crashes: 0, seen: new Set() };

function instrumentDynamo(client: DynamoDBDocumentClient) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const command = context.commandName ?? "";
      const input = JSON.stringify(args.input);
      if (
        plan.changeId !== undefined &&
        WRITE_COMMAND.test(command) &&
        input.includes(plan.changeId) &&
        !plan.seen.has(input)
      ) {
        plan.seen.add(input);
        plan.writes += 1;
        plan.commands.push(command.replace(/Command$/, ""));
        if (plan.writes === plan.crashAfter) {
          plan.crashAfter = undefined;
          plan.crashes += 1;
          throw new InjectedCrash(`crashed after write ${plan.writes} (${command})`);
        }
      }
      return result;
    },
    { step: "initialize", name: "topologyFaultInjection" },
  );
}

const local = useLocalStack({ instrumentDynamo });
const example = postTradeExample();
const D = example.variants.find((v: { name: string }) => v.name === "topology-change");
const DATE = example.lookAhead.deliveryDate as string;
/** The clean run and up to five crash points. */
const SCHEMES = ["FI-CLEAN", "FI-K1", "FI-K2", "FI-K3", "FI-K4", "FI-K5"];
type Json = Record<string, any>;

function changeOf(scheme: string) {
  return { ...D.topologyChanges[0].body, anmSchemeId: scheme, topologyChangeId: `TC-${scheme}` };
}

describe("a crash after each write of a topology change's processing", () => {
  const traders = new Map<string, Map<string, Trader>>();
  const marketOf = new Map<string, string>();

  it("publishes variant D's day-ahead result on every scheme", async () => {
    const operator = local.stack.keys.operator;
    for (const scheme of SCHEMES) {
      const own = new Map<string, Trader>();
      for (const asset of example.assets)
        own.set(
          asset.participantId,
          await onboard(local.api, operator, {
            name: `${scheme}-${asset.participantId}`,
            anmSchemeId: scheme,
            entryIds: asset.molEntryIds,
          }),
        );
      traders.set(scheme, own);
    }
    const gateClosureAt = new Date(Date.now() + 25_000).toISOString();
    const cycles = new Map<string, string>();
    for (const scheme of SCHEMES) {
      const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
        key: local.stack.keys.anm,
        body: {
          ...example.lookAhead,
          lookAheadId: `LA-${scheme}`,
          anmSchemeId: scheme,
          gateClosureAt,
        },
      });
      cycles.set(scheme, cycleId);
    }
    for (const scheme of SCHEMES) {
      await waitFor(
        () => local.api.expect(200, "GET", `/cycles/${cycles.get(scheme)}`, { key: operator }),
        (c) => c.status === "markets-open" || c.status === "failed",
      );
      const { items: markets } = await local.api.expect(
        200,
        "GET",
        `/markets?deliveryDate=${DATE}`,
        { key: operator },
      );
      const market = markets.find((m: Json) => m.anmSchemeId === scheme);
      marketOf.set(scheme, market.marketId);
      for (const o of example.orders)
        await local.api.expect(201, "POST", "/orders", {
          key: traders.get(scheme)!.get(o.participantId)!.apiKey,
          body: orderBodyOf(o, market.marketId),
        });
    }
    for (const scheme of SCHEMES) {
      const cycle = await waitFor(
        () => local.api.expect(200, "GET", `/cycles/${cycles.get(scheme)}`, { key: operator }),
        (c) => c.status === "published" || c.status === "failed",
        120_000,
        500,
      );
      expect(cycle.status, scheme).toBe("published");
    }
  }, 300_000);

  /** Everything the change left, with the scheme's own ids replaced by names. */
  async function outcomeOf(scheme: string) {
    const operator = local.stack.keys.operator;
    const { items: trades } = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: operator,
    });
    const own = trades.filter((t: Json) => t.marketId === marketOf.get(scheme));
    expect(own).toHaveLength(2);
    const names = new Map<string, string>([
      [scheme, "SCHEME"],
      [`TC-${scheme}`, "TC"],
    ]);
    for (const t of own)
      names.set(t.tradeId, t.sellEntryId === "G5-A" ? "T1" : "T2").set(t.marketId, "MARKET");
    for (const [name, trader] of traders.get(scheme)!) names.set(trader.participantId, name);
    // Receive and publication times differ from run to run; everything else must not.
    const rename = (value: unknown) =>
      JSON.parse(
        [...names].reduce((s, [id, name]) => s.split(id).join(name), JSON.stringify(value)),
        (key, v) => (key === "receivedAt" || key === "publishedAt" ? undefined : v),
      );
    const listed = await local.api.expect(
      200,
      "GET",
      `/anm/topology-changes?anmSchemeId=${scheme}&deliveryDate=${DATE}`,
      { key: operator },
    );
    const versions = [];
    for (const version of [1, 2, 3]) {
      const r = await local.api.request(
        "GET",
        `/anm/merit-order?anmSchemeId=${scheme}&deliveryDate=${DATE}&constraintId=C1&version=${version}`,
        { key: operator },
      );
      versions.push(r.status === 200 ? r.body : r.status);
    }
    const dynamo = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: "eu-west-2",
        endpoint: local.stack.dynamoDbEndpoint,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
    );
    const { Items: outbox = [] } = await dynamo.send(
      new QueryCommand({
        TableName: "bitrader",
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: {
          ":pk": `OUTBOX#topology-change.${scheme}.${DATE}.TC-${scheme}`,
        },
        ConsistentRead: true,
      }),
    );
    dynamo.destroy();
    const events = outbox
      .filter((i) => i.kind === "event")
      .map((i) =>
        JSON.stringify(
          rename({
            type: i.event.type,
            recipient: i.event.recipient,
            data: i.event.data,
            gated: i.gated,
          }),
        ),
      )
      .sort();
    return {
      changes: rename(
        listed.items.map((c: Json) => ({ state: c.state, sequence: c.sequence, result: c.result })),
      ),
      trades: rename(own).map((t: Json) => ({
        tradeId: t.tradeId,
        status: t.status,
        cancelledFromSp: t.cancelledFromSp,
        cancelledFrom: t.cancelledFrom,
        cancellationReason: t.cancellationReason,
        topologyChangeId: t.topologyChangeId,
      })),
      versions: rename(versions),
      events,
      released: outbox.some((i) => i.kind === "release"),
    };
  }

  it("gives, after the retry, the clean run's result, versions, trades and events", async () => {
    const anm = local.stack.keys.anm;
    plan.changeId = "TC-FI-CLEAN";
    plan.writes = 0;
    plan.commands = [];
    const clean = await local.api.expect(201, "POST", "/anm/topology-changes", {
      key: anm,
      body: changeOf("FI-CLEAN"),
    });
    expect(clean).toMatchObject({ effect: "applied", cancellationSp: 28 });
    // The processing's writes. The consumer may run the same change meanwhile and send the
    // same pages again: an identical request is counted once (`seen`).
    const commands = [...plan.commands];
    const n = plan.writes;
    console.info(`topology change processing: ${n} writes (${commands.join(", ")})`);
    expect(commands[0], commands.join(",")).toBe("TransactWriteItems");
    expect(n, commands.join(",")).toBeGreaterThanOrEqual(3);
    expect(n, commands.join(",")).toBeLessThanOrEqual(SCHEMES.length - 1);
    const want = await outcomeOf("FI-CLEAN");
    expect(want.trades.map((t: Json) => t.status).sort()).toEqual(["cancelled", "confirmed"]);
    expect(want.events).toHaveLength(9);
    expect(want.released).toBe(true);

    for (let k = 1; k <= n; k += 1) {
      const scheme = SCHEMES[k]!;
      plan.changeId = `TC-${scheme}`;
      plan.writes = 0;
      plan.crashAfter = k;
      const crashed = await local.api.request("POST", "/anm/topology-changes", {
        key: anm,
        body: changeOf(scheme),
      });
      // The crash hits whichever run of the change makes its k-th write: the request (500) or
      // the consumer racing it (then the request may have finished the change itself).
      expect([500, 201], `k=${k}`).toContain(crashed.status);
      // The retry: the TopologyChanges consumer, on the change record's stream INSERT.
      await waitFor(
        () =>
          local.api.expect(
            200,
            "GET",
            `/anm/topology-changes?anmSchemeId=${scheme}&deliveryDate=${DATE}`,
            { key: anm },
          ),
        (l) => l.items[0]?.state === "applied",
        60_000,
        250,
      );
      expect(plan.crashes, `the crash after write ${k} happened`).toBe(k);
      const replay = await local.api.expect(200, "POST", "/anm/topology-changes", {
        key: anm,
        body: changeOf(scheme),
      });
      const got = await outcomeOf(scheme);
      expect(got, `crash after write ${k} of ${n} (${commands[k - 1]})`).toEqual(want);
      expect(replay).toMatchObject({ effect: "applied", cancellationSp: 28 });
    }
  }, 300_000);
});
