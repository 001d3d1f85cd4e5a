/**
 * `npm run demo`: against a running local stack (`npm start`), plays the worked example
 * (`examples/worked-example.json`) as real clients would — five generators register
 * and are approved, register and qualify their assets, the ANM posts the look-ahead with a gate
 * closure a few seconds ahead, the traders see their opportunities and submit their orders, the
 * workflow matches at gate closure — and prints the opportunities, the trades and the
 * re-ordered MOL as tables, and the events each generator's webhook receiver (a small local HTTP
 * server the demo starts) got, each signature verified with the `standardwebhooks` package.
 *
 * Finds the stack from `.local/stack.json` (written by `npm start`), or BITRADER_URL,
 * BITRADER_OPERATOR_KEY and BITRADER_ANM_KEY.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DateTime } from "luxon";
import { ApiClient, onboard, orderBodyOf, type Trader, waitFor } from "../lib/client/api-client";
import { verified, WebhookReceivers } from "../lib/client/webhook-receiver";

const USAGE = `usage: npm run demo [-- --help]

Plays the worked example (examples/worked-example.json) against a running local stack: five
generators register and trade, the ANM posts tomorrow's look-ahead with gate closure 20 s ahead,
and the trades, the re-ordered MOL and the signed webhook events each generator received are printed. Start the stack first with \`npm start\` in
another terminal; the demo finds it through .local/stack.json (or $BITRADER_DATA_DIR/stack.json),
or through BITRADER_URL, BITRADER_OPERATOR_KEY and BITRADER_ANM_KEY.`;

try {
  const { values } = parseArgs({ options: { help: { type: "boolean", short: "h" } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exit(2);
}

const root = fileURLToPath(new URL("..", import.meta.url));
const say = (line = "") => process.stdout.write(`${line}\n`);

function stackInfo() {
  let file: { url?: string; operatorKey?: string; anmKey?: string } = {};
  try {
    file = JSON.parse(
      readFileSync(resolve(root, process.env.BITRADER_DATA_DIR || ".local", "stack.json"), "utf8"),
    );
  } catch {
    // no stack file: the environment must say
  }
  const url = process.env.BITRADER_URL ?? file.url;
  const operatorKey = process.env.BITRADER_OPERATOR_KEY ?? file.operatorKey;
  const anmKey = process.env.BITRADER_ANM_KEY ?? file.anmKey;
  if (!url || !operatorKey || !anmKey) {
    process.stderr.write(
      "No running local stack found: start it with `npm start` (or set BITRADER_URL and the keys).\n",
    );
    process.exit(2);
  }
  return { url, operatorKey, anmKey };
}

function table(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`;
  say(line(headers));
  say(line(widths.map((w) => "-".repeat(w))));
  for (const r of cells.slice(1)) say(line(r));
}

async function main(): Promise<void> {
  const { url, operatorKey, anmKey } = stackInfo();
  const api = new ApiClient(url);
  const health = await api.request("GET", "/health").catch(() => ({ status: 0 }));
  if (health.status !== 200) {
    process.stderr.write(`The local stack at ${url} does not answer: is \`npm start\` running?\n`);
    process.exit(2);
  }
  const scenario = JSON.parse(
    readFileSync(resolve(root, "examples", "worked-example.json"), "utf8"),
  );

  // A fresh scheme and tomorrow's date, so the demo can run again and again.
  const scheme = `DEMO-${DateTime.utc().toFormat("HHmmss")}`;
  const tomorrow = DateTime.now().setZone("Europe/London").plus({ days: 1 }).toISODate()!;
  const periods =
    DateTime.fromISO(tomorrow, { zone: "Europe/London" })
      .plus({ days: 1 })
      .diff(DateTime.fromISO(tomorrow, { zone: "Europe/London" }), "minutes").minutes / 30;
  const resize = (values: number[]) =>
    Array.from({ length: periods }, (_, i) => values[Math.min(i, values.length - 1)] ?? 0);
  const lookAhead = structuredClone(scenario.lookAhead);
  lookAhead.anmSchemeId = scheme;
  lookAhead.lookAheadId = `LA-${scheme}`;
  lookAhead.deliveryDate = tomorrow;
  lookAhead.issuedAt = new Date().toISOString();
  lookAhead.gateClosureAt = new Date(Date.now() + 20_000).toISOString();
  lookAhead.constraints[0].requiredCurtailmentMw = Array.from(
    { length: periods },
    (_, i) => scenario.lookAhead.constraints[0].requiredCurtailmentMw[i] ?? 0,
  );
  for (const entry of lookAhead.mols[0].entries) {
    entry.forecastMw = resize(entry.forecastMw);
    // The flexible-service window moves with the day: 11:00–15:00 local.
    if (entry.flexibleServiceWindows)
      entry.flexibleServiceWindows = [
        {
          start: DateTime.fromISO(`${tomorrow}T11:00`, { zone: "Europe/London" }).toISO()!,
          end: DateTime.fromISO(`${tomorrow}T15:00`, { zone: "Europe/London" }).toISO()!,
        },
      ];
  }

  say(`BiTraDER demo: the worked example on ${url}, scheme ${scheme}, delivery ${tomorrow}`);
  say();
  say("1. Five generators register, are approved, claim their keys, qualify their assets");
  say("   and register a webhook receiver (a local HTTP server this demo runs, R-NOTIFY-1)");
  const receivers = await new WebhookReceivers().start();
  const secrets = new Map<string, string>();
  const traders = new Map<string, Trader>();
  for (const asset of scenario.assets) {
    const trader = await onboard(api, operatorKey, {
      name: asset.participantId.toUpperCase(),
      anmSchemeId: scheme,
      entryIds: asset.molEntryIds,
    });
    traders.set(asset.participantId, trader);
    const endpoint = await api.expect(201, "PUT", "/webhook-endpoint", {
      key: trader.apiKey,
      body: { url: receivers.url(`/${asset.participantId}`) },
    });
    secrets.set(asset.participantId, endpoint.secret);
    say(
      `   ${trader.name}: participant ${trader.participantId}, asset ${trader.assetId} (${asset.molEntryIds.join(", ")})`,
    );
  }

  say();
  say(`2. The ANM posts the look-ahead (gate closure ${lookAhead.gateClosureAt})`);
  const { cycleId } = await api.expect(202, "POST", "/anm/look-aheads", {
    key: anmKey,
    body: lookAhead,
  });
  await waitFor(
    () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: operatorKey }),
    (c) => c.status === "markets-open",
  );
  say(`   cycle ${cycleId}: markets open`);

  say();
  say("3. Each generator sees its opportunities (R-ELIG-6)");
  const rows: (string | number)[][] = [];
  let marketId = "";
  for (const [, trader] of traders) {
    const { items } = await api.expect(200, "GET", `/opportunities?deliveryDate=${tomorrow}`, {
      key: trader.apiKey,
    });
    for (const o of items) {
      marketId = o.marketId;
      rows.push([
        trader.name,
        o.entryId,
        o.side,
        o.curtailmentOrder,
        o.maxQuantityMw,
        o.mwAhead,
        o.predictedCurtailmentMw.join(" "),
        `${o.windowStart.slice(11, 16)}–${o.windowEnd.slice(11, 16)} UTC`,
      ]);
    }
  }
  rows.sort((a, b) => Number(a[3]) - Number(b[3]));
  table(
    [
      "owner",
      "entry",
      "side",
      "MOL pos",
      "max MW",
      "MW ahead",
      "predicted curtailment MW",
      "window",
    ],
    rows,
  );
  say(
    "   (G3-B is not claimed by any asset and G2-A is under a flexible-service contract: no opportunities)",
  );

  say();
  say("4. Bids and offers arrive");
  for (const o of scenario.orders) {
    const trader = traders.get(o.participantId)!;
    const order = await api.expect(201, "POST", "/orders", {
      key: trader.apiKey,
      body: orderBodyOf(o, marketId),
    });
    say(
      `   ${o.orderId} ${trader.name} ${o.side.padEnd(4)} ${o.entryId} ${o.quantityMw} MW at £${o.availabilityPrice}/MW/h + £${o.utilisationPrice}/MWh -> ${order.orderId}`,
    );
  }

  say();
  say("5. Waiting for gate closure, matching, re-ordering and publication ...");
  const cycle = await waitFor(
    () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: operatorKey }),
    (c) => c.status === "published" || c.status === "failed",
    90_000,
    500,
  );
  say(`   cycle ${cycle.status}`);

  say();
  say("6. Trades (pay-as-offer, R-MATCH)");
  const { items: trades } = await api.expect(200, "GET", `/trades?deliveryDate=${tomorrow}`, {
    key: operatorKey,
  });
  const mine = trades.filter((t: { marketId: string }) => t.marketId === marketId);
  table(
    ["trade", "buyer entry", "seller entry", "MW", "£/MW/h", "£/MWh"],
    mine.map((t: Record<string, string | number>) => [
      t.tradeId,
      t.buyEntryId,
      t.sellEntryId,
      t.quantityMw,
      t.availabilityPrice,
      t.utilisationPrice,
    ]),
  );

  say();
  say("7. The re-ordered MOL the ANM fetches (R-REORDER)");
  const mol = await api.expect(
    200,
    "GET",
    `/anm/merit-order?anmSchemeId=${scheme}&deliveryDate=${tomorrow}&constraintId=C1`,
    { key: anmKey },
  );
  for (const segment of mol.segments) {
    say(`   ${segment.validFrom} – ${segment.validTo} (version ${mol.version}, ${mol.status})`);
    table(
      ["order", "entry", "capacity MW", "forecast MW", "curtailment MW"],
      segment.entries.map((e: Record<string, any>) => [
        e.curtailmentOrder,
        e.entryId,
        e.capacityMw,
        e.forecastMw.join(" "),
        e.curtailmentMw.join(" "),
      ]),
    );
  }
  say();
  say("G3-A and G3-B did not trade and are curtailed exactly as before (R-REORDER-5).");

  say();
  say("8. The events each generator's receiver got (R-NOTIFY-4, R-DISPATCH-2)");
  // Events arrive within seconds of their change; wait until none has come for 2 s.
  let seen = -1;
  while (seen !== receivers.requests.length) {
    seen = receivers.requests.length;
    await new Promise((wake) => setTimeout(wake, 2_000));
  }
  const received: string[][] = [];
  for (const owner of [...traders.keys()].sort()) {
    const got = receivers.at(`/${owner}`);
    for (const request of got) {
      const event = verified(request, secrets.get(owner)!);
      received.push([owner.toUpperCase(), event.type, summary(event.type, event.data), "verified"]);
    }
    if (got.length === 0)
      received.push([owner.toUpperCase(), "(none)", "no opportunity, no trade, no slice", ""]);
  }
  table(["to", "event", "what it says", "signature"], received);
  say("   (each body signed with the receiver's own whsec_ secret, checked with standardwebhooks;");
  say("    a counterparty appears by its entry id only)");
  await receivers.stop();
}

/** One line of what an event says, for the table. */
function summary(type: string, data: Record<string, any>): string {
  const mw = (n: number) => `${n} MW`;
  switch (type) {
    case "market.opened":
      return data.opportunities
        .map((o: Record<string, any>) => `${o.entryId} ${o.side} up to ${mw(o.maxQuantityMw)}`)
        .join(", ");
    case "trade.confirmed":
      return `${data.side} ${mw(data.quantityMw)} ${data.entryId} ↔ ${data.counterpartyEntryId} at £${data.availabilityPrice}/MW/h + £${data.utilisationPrice}/MWh`;
    case "merit-order.published":
      return `${data.constraintId} version ${data.version} (${data.reason})`;
    case "dispatch.instruction":
      return data.units
        .map(
          (u: Record<string, any>) =>
            `${String(u.unitId).replace(/trd-(\w{6})\w+/, "trd-$1…")}: ${u.periods.map((p: Record<string, any>) => p.curtailmentMw).join(" ")}`,
        )
        .join("; ");
    default:
      return JSON.stringify(data);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
