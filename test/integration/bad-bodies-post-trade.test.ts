import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../functions/adapters/clock";
import { marketIdOf } from "../../functions/core/model/ids";
import { METER_CSV_HEADER } from "../../functions/core/performance/meter-readings";
import { ROUTES, type Route } from "../../functions/http/routes";
import { clockSource } from "../../functions/runtime/deps";
import { lambdaContext } from "../../lib/local/lambda-context";
import { anyJson, get, type Json, kind, paths, setAt, tableItems } from "../support/body-fuzz";
import { postTradeExample } from "../support/post-trade-example";
import { propertyParams } from "../support/property";
import { leaksIn } from "../support/response-scan";
import { restEvent } from "../support/rest-event";
import { useLocalStack } from "../support/use-local-stack";
import { workedExample } from "../support/worked-example";

/**
 * reliability.md BI for the write routes after delivery: ≥ 10,000 generated bodies per route —
 * fc.json() and fc.anything() documents and mutations of a valid body (wrong types, unknown
 * fields, missing fields, negative, over-precise and oversized numbers, 49 values on a 48-SP
 * day, truncated JSON) — and for `POST /meter-readings` as `text/csv` ≥ 10,000 files: truncated
 * lines, a BOM, wrong column order, duplicate SPs, 49 SPs on a 48-SP day, negative values,
 * > 3 dp, formula cells, unknown units and directions, quotes and blank lines. Handlers run
 * in-process on REST v1 events against DynamoDB Local. Never a 5xx; every 400 names its fields
 * (`line <n>.<column>` for CSV); nothing stored from a refused body (the table compared item by
 * item before and after each route's run); no leak in any answer. The day-of verification routes
 * (`POST /anm/topology-changes`, `POST /anm/market-vetoes`) run on a second scheme whose day is
 * published (gate closure a few seconds after the look-ahead, no orders), so that well-formed
 * bodies reach R-VERIFY-1..8: variant D's change is applied (201, then 200 on each replay; a
 * well-formed mutant under the same id is 409 TOPOLOGY_CHANGE_CONFLICT, a broken one 422), and a
 * veto of the published market without trades is 409 MARKET_NOT_VETOABLE.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const RUNS = Number(process.env.BI_RUNS ?? 10_000);

type Handler = (event: APIGatewayProxyEvent, context: unknown) => Promise<APIGatewayProxyResult>;

const local = useLocalStack();
afterAll(() => {
  clockSource.current = systemClock;
});
const handlers: Record<string, Handler> = {};
const route = (id: string) => ROUTES.find((r) => r.id === id) as Route;

const SCHEME = "FUZZ-PT";
/** A second scheme of the same day, published: the day-of verification routes' (R-VERIFY). */
const VERIFY_SCHEME = "FUZZ-VR";
const DATE = "2027-06-14";
const OWNER = "par-00000000000000000101";
const OWNER_CALLER = { role: "participant", principalId: OWNER } as const;
const OPERATOR = { role: "operator", principalId: "operator" } as const;
const ANM = { role: "anm", principalId: "anm" } as const;
const ENTRY = "G5-A";
const SP48 = Array.from({ length: 48 }, (_, i) => i);

interface Target {
  readonly id: string;
  readonly name: string;
  readonly caller: { role: "participant" | "operator" | "anm"; principalId: string };
  readonly contentType: string;
  readonly bodies: fc.Arbitrary<{ kind: string; text: string }>;
  /** How a 2xx answer's body names what it created (an accepted valid body may store that). */
  readonly acceptedId?: (body: Record<string, unknown>) => string;
  /** Answers (`status code`) that show well-formed bodies reached the route's rules. */
  readonly reaches?: readonly string[];
}

const targets: Target[] = [];

beforeAll(async () => {
  for (const id of [
    "PostLookAhead",
    "PostActuals",
    "SubmitMeterReadings",
    "PutBaseline",
    "StartSettlementRun",
    "CreateMeterUpload",
    "PostTopologyChange",
    "PostMarketVeto",
  ]) {
    const module = (await import(`../../${route(id).entry.replace(/\.ts$/, "")}`)) as {
      handler: Handler;
    };
    handlers[id] = module.handler;
  }
  const { deps } = await import("../../functions/runtime/deps");
  const at = new Date().toISOString();
  await deps.participants.register({
    participantId: OWNER,
    registration: {
      organisation: {
        legalName: "Fuzz Meter Ltd",
        companyNumber: "SC123456",
        registeredAddress: "2 Solar Street, Glasgow G1 1AA",
      },
      contact: { name: "Ada", email: "ada@example.com" },
    },
    claimSecretHash: "x",
    at,
    actor: OPERATOR,
  });
  const asset = await deps.assets.register({
    assetId: "ast-00000000000000000101",
    participantId: OWNER,
    registration: {
      name: "Fuzz site",
      assetType: "discrete",
      technology: "wind",
      exportCapacityMw: 10,
      connectionVoltageKv: 33,
      postcode: "G1 1AA",
      anmSchemeId: SCHEME,
      molEntryIds: ["G1-A", ENTRY],
    },
    at,
    actor: OWNER_CALLER,
  });
  await deps.assets.changeStatus(asset, {
    from: asset.status,
    to: "qualified",
    action: "asset.qualified",
    at,
    actor: OPERATOR,
  });
  // A look-ahead (gate closure a day ahead, so its cycle waits): nominations reach R-PERF-3.
  const lookAhead = {
    ...structuredClone(workedExample().lookAhead),
    anmSchemeId: SCHEME,
    lookAheadId: "LA-FUZZ-PT",
    gateClosureAt: new Date(Date.now() + 86_400_000).toISOString(),
  };
  const posted = await handlers.PostLookAhead!(
    restEvent({ route: route("PostLookAhead"), body: JSON.stringify(lookAhead), caller: ANM }),
    lambdaContext("PostLookAhead"),
  );
  expect(posted.statusCode).toBe(202);
  const { cycleId } = JSON.parse(posted.body) as { cycleId: string };
  // Its workflow opens the markets; wait for that, so that the table holds still afterwards.
  for (let i = 0; i < 150; i += 1) {
    if ((await deps.cycles.getCycle(cycleId))?.status === "markets-open") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect((await deps.cycles.getCycle(cycleId))?.status).toBe("markets-open");

  // The verification scheme's look-ahead closes its gate at once: its cycle publishes version 1
  // of each constraint (no orders, so no trades), after which changes and vetoes are taken.
  const verifyLookAhead = {
    ...structuredClone(workedExample().lookAhead),
    anmSchemeId: VERIFY_SCHEME,
    lookAheadId: "LA-FUZZ-VR",
    gateClosureAt: new Date(Date.now() + 8_000).toISOString(),
  };
  const postedVerify = await handlers.PostLookAhead!(
    restEvent({
      route: route("PostLookAhead"),
      body: JSON.stringify(verifyLookAhead),
      caller: ANM,
    }),
    lambdaContext("PostLookAhead"),
  );
  expect(postedVerify.statusCode).toBe(202);
  const verifyCycle = (JSON.parse(postedVerify.body) as { cycleId: string }).cycleId;
  for (let i = 0; i < 300; i += 1) {
    const status = (await deps.cycles.getCycle(verifyCycle))?.status;
    if (status === "published" || status === "failed") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect((await deps.cycles.getCycle(verifyCycle))?.status).toBe("published");
  const change = postTradeExample().variants.find(
    (v: { name: string }) => v.name === "topology-change",
  ).topologyChanges[0].body;
  const changeBody = { ...structuredClone(change), anmSchemeId: VERIFY_SCHEME } as Json;
  const marketId = marketIdOf(VERIFY_SCHEME, DATE, "C1", Date.parse(`${DATE}T12:00:00+01:00`));
  const vetoBody = { marketId, reason: "planned outage on the 33 kV circuit" };

  const values = SP48.map((i) => (i >= 24 && i < 28 ? 0 : 3000));
  const meterBody = {
    readings: [
      {
        anmSchemeId: SCHEME,
        entryId: ENTRY,
        deliveryDate: DATE,
        direction: "export",
        unit: "kW",
        values,
      },
    ],
  };
  const actualsBody = {
    actualsId: "ACT-FUZZ-1",
    anmSchemeId: SCHEME,
    deliveryDate: DATE,
    constraints: [
      {
        constraintId: "C1",
        requiredCurtailmentMw: SP48.map((i) => (i >= 24 && i < 28 ? 4 : 0)),
        appliedCurtailment: [{ unitId: `${ENTRY}/trd-x`, curtailmentMw: SP48.map(() => 0) }],
      },
    ],
    availablePower: [{ entryId: ENTRY, availableMw: SP48.map(() => 3) }],
  };
  const nominationBody = {
    anmSchemeId: SCHEME,
    entryId: ENTRY,
    deliveryDate: DATE,
    nominatedMw: SP48.map(() => 3),
  };
  targets.push(
    {
      id: "PostActuals",
      name: "PostActuals",
      caller: ANM,
      contentType: "application/json",
      // The day has no published day-ahead: a well-formed post is refused by R-PERF-1 (422).
      bodies: jsonBodies(actualsBody, ["actualsId", "anmSchemeId", "deliveryDate", "constraints"]),
    },
    {
      id: "SubmitMeterReadings",
      name: "SubmitMeterReadings (JSON)",
      caller: OWNER_CALLER,
      contentType: "application/json",
      bodies: jsonBodies(meterBody, [
        "readings",
        "readings.0.entryId",
        "readings.0.values",
        "readings.0.unit",
      ]),
      acceptedId: (b) => String(b.uploadId),
    },
    {
      id: "SubmitMeterReadings",
      name: "SubmitMeterReadings (CSV)",
      caller: OWNER_CALLER,
      contentType: "text/csv",
      bodies: csvBodies(),
      acceptedId: (b) => String(b.uploadId),
    },
    {
      id: "PutBaseline",
      name: "PutBaseline",
      caller: OWNER_CALLER,
      contentType: "application/json",
      bodies: jsonBodies(nominationBody, ["anmSchemeId", "entryId", "deliveryDate", "nominatedMw"]),
      acceptedId: (b) => `${b.entryId}#`,
    },
    {
      id: "StartSettlementRun",
      name: "StartSettlementRun",
      caller: OPERATOR,
      contentType: "application/json",
      // The clock is before July's 6th: a well-formed month is refused (409), stores nothing.
      bodies: jsonBodies({ month: "2099-06" }, ["month"]),
    },
    {
      id: "CreateMeterUpload",
      name: "CreateMeterUpload",
      caller: OWNER_CALLER,
      contentType: "application/json",
      bodies: jsonBodies({ contentType: "text/csv", contentLength: 1000 }, [
        "contentType",
        "contentLength",
      ]),
      acceptedId: (b) => String(b.uploadId),
    },
    {
      id: "PostTopologyChange",
      name: "PostTopologyChange",
      caller: ANM,
      contentType: "application/json",
      // Every body that is accepted names the one id: the first is applied, the rest replay it.
      bodies: jsonBodies(changeBody, [
        "topologyChangeId",
        "anmSchemeId",
        "deliveryDate",
        "effectiveFrom",
        "constraints",
        "constraints.0.entries",
        "constraints.1.entries.0.capacityMw",
        "constraints.1.entries.0.curtailmentOrder",
      ]),
      acceptedId: (b) => String(b.topologyChangeId),
      // Applied once (201); later bodies replay it (200) or conflict with it (409) as they come.
      reaches: ["201 ", "422 TOPOLOGY_CHANGE_INVALID"],
    },
    {
      id: "PostMarketVeto",
      name: "PostMarketVeto",
      caller: ANM,
      contentType: "application/json",
      // The published market has no trades: a well-formed veto of it is 409, stores nothing.
      bodies: jsonBodies(vetoBody, ["marketId", "reason"]),
      reaches: ["409 MARKET_NOT_VETOABLE"],
    },
  );
}, 180_000);

// ---- body generators ----------------------------------------------------------------------

/** JSON bodies: the valid base now and then, and every kind of bad body around it. */
function jsonBodies(base: Json, required: string[]): fc.Arbitrary<{ kind: string; text: string }> {
  const all = paths(base);
  const objects = all.filter((p) => kind(get(base, p)) === "object");
  const numbers = all.filter((p) => typeof get(base, p) === "number");
  const arrays = all.filter((p) => Array.isArray(get(base, p)) && p.length > 0);
  const strings = all.filter((p) => typeof get(base, p) === "string");
  const pick = (list: string[][]) => fc.constantFrom(...list);
  const text = (value: Json) => JSON.stringify(value);
  const bad: fc.Arbitrary<{ kind: string; text: string }>[] = [
    fc.json().map((t) => ({ kind: "fc.json", text: t })),
    fc.anything().map((v) => ({ kind: "fc.anything", text: JSON.stringify(v) ?? "" })),
    fc
      .tuple(pick(all), anyJson)
      .filter(([p, v]) => kind(v) !== kind(get(base, p)))
      .map(([p, v]) => ({ kind: "wrong type", text: text(setAt(base, p, () => v)) })),
    fc
      .tuple(pick(objects), fc.string({ minLength: 1, maxLength: 12 }), anyJson)
      .filter(([p, k]) => !Object.hasOwn(get(base, p) as object, k))
      .map(([p, k, v]) => ({
        kind: "unknown field",
        text: text(setAt(base, p, (o) => ({ ...(o as object), [k]: v }))),
      })),
    fc.tuple(pick(strings), fc.integer({ min: 129, max: 20_000 })).map(([p, n]) => ({
      kind: "oversized string",
      text: text(setAt(base, p, () => "x".repeat(n))),
    })),
    fc.constantFrom(...required).map((p) => ({
      kind: "missing field",
      text: text(setAt(base, p.split("."), () => undefined)),
    })),
    fc.integer({ min: 0, max: 10_000 }).map((n) => {
      const full = text(base);
      return { kind: "truncated", text: full.slice(0, n % full.length) };
    }),
  ];
  if (numbers.length > 0)
    bad.push(
      fc
        .tuple(
          pick(numbers),
          fc.constantFrom("1e999", "-1e999", "-1", "-0.001", "1.0001", "0.12345", "1e308", "1e10"),
        )
        .map(([p, literal]) => ({
          kind: "bad number",
          text: text(setAt(base, p, () => "__N__")).replace('"__N__"', literal),
        })),
    );
  if (arrays.length > 0)
    bad.push(
      fc.tuple(pick(arrays), fc.integer({ min: 0, max: 60 })).map(([p, n]) => ({
        kind: "wrong length",
        text: text(
          setAt(base, p, (a) => {
            const list = a as Json[];
            return Array.from({ length: n }, (_, i) => list[i % Math.max(list.length, 1)] ?? 0);
          }),
        ),
      })),
    );
  return fc.oneof(...bad.map((arbitrary) => ({ arbitrary, weight: 10 })), {
    arbitrary: fc.constant({ kind: "valid", text: text(base) }),
    weight: 2,
  });
}

const CSV_COLUMNS = METER_CSV_HEADER.split(",");

/** A valid meter CSV's records (entry G5-A, 48 SPs), as cells. */
function csvRecords(): string[][] {
  return SP48.map((i) => [SCHEME, ENTRY, DATE, String(i + 1), "export", "kWh", "1500"]);
}

const csvText = (rows: string[][], header = CSV_COLUMNS) =>
  [header, ...rows].map((r) => r.join(",")).join("\r\n");

/** CSV bodies: the valid file now and then, and every kind of bad file around it. */
function csvBodies(): fc.Arbitrary<{ kind: string; text: string }> {
  const row = fc.integer({ min: 0, max: 47 });
  const column = fc.integer({ min: 0, max: 6 });
  const badCell = fc.constantFrom(
    "-1",
    "-0.5",
    "1.0001",
    "0.12345",
    "=1+2",
    "+SUM(A1)",
    "@cmd",
    "-2+3",
    "1e3",
    "abc",
    "",
    " 12",
    '"12"',
    "NaN",
    "Infinity",
    "0x10",
    "49",
    "0",
    "MW",
    "both",
    "2027-02-30",
    "x".repeat(200),
  );
  const bad: fc.Arbitrary<{ kind: string; text: string }>[] = [
    fc.string({ maxLength: 200 }).map((t) => ({ kind: "random text", text: t })),
    fc.tuple(row, column, badCell).map(([r, c, v]) => {
      const rows = csvRecords();
      rows[r]![c] = v;
      return { kind: "bad cell", text: csvText(rows) };
    }),
    fc.integer({ min: 0, max: 4000 }).map((n) => {
      const full = csvText(csvRecords());
      return { kind: "truncated", text: full.slice(0, n % full.length) };
    }),
    fc.tuple(row, fc.integer({ min: 1, max: 6 })).map(([r, keep]) => {
      const rows = csvRecords();
      rows[r] = rows[r]!.slice(0, keep);
      return { kind: "truncated line", text: csvText(rows) };
    }),
    fc.boolean().map((valid) => ({
      kind: valid ? "BOM (valid)" : "BOM on a bad file",
      text: `\uFEFF${csvText(valid ? csvRecords() : csvRecords().slice(0, 47))}`,
    })),
    fc
      .shuffledSubarray(CSV_COLUMNS, { minLength: 7, maxLength: 7 })
      .filter((h) => h.join(",") !== METER_CSV_HEADER)
      .map((header) => ({ kind: "wrong column order", text: csvText(csvRecords(), header) })),
    row.map((r) => {
      const rows = csvRecords();
      rows.splice(r, 0, [...rows[r]!]);
      return { kind: "duplicate SP", text: csvText(rows) };
    }),
    fc.constant(0).map(() => {
      const rows = csvRecords();
      rows.push([SCHEME, ENTRY, DATE, "49", "export", "kWh", "1500"]);
      return { kind: "49 SPs on a 48-SP day", text: csvText(rows) };
    }),
    fc.tuple(row, fc.string({ maxLength: 8 })).map(([r, extra]) => {
      const rows = csvRecords();
      rows[r] = [...rows[r]!, extra];
      return { kind: "extra column", text: csvText(rows) };
    }),
    fc.constantFrom("other-entry", "G1-A:other").map((entry) => {
      const rows = csvRecords().map((r) => [r[0]!, entry, ...r.slice(2)]);
      return { kind: "unknown entry", text: csvText(rows) };
    }),
    fc.constant(0).map(() => ({ kind: "header only", text: METER_CSV_HEADER })),
    row.map((r) => {
      const rows = csvRecords();
      rows[r] = [`"${rows[r]![0]}`, ...rows[r]!.slice(1)];
      return { kind: "open quote", text: csvText(rows) };
    }),
  ];
  return fc.oneof(...bad.map((arbitrary) => ({ arbitrary, weight: 10 })), {
    arbitrary: fc.constant({ kind: "valid", text: csvText(csvRecords()) }),
    weight: 1,
  });
}

// ---- the property -------------------------------------------------------------------------

async function send(target: Target, text: string | null, headers: Record<string, string> = {}) {
  const event = restEvent({
    route: route(target.id),
    body: text,
    headers: { "Content-Type": target.contentType, ...headers },
    caller: target.caller,
  });
  return handlers[target.id]!(event, lambdaContext(target.id));
}

const NAMES = [
  "PostActuals",
  "SubmitMeterReadings (JSON)",
  "SubmitMeterReadings (CSV)",
  "PutBaseline",
  "StartSettlementRun",
  "CreateMeterUpload",
  "PostTopologyChange",
  "PostMarketVeto",
];

describe("bad bodies at every write route after delivery", () => {
  it.each(NAMES)(
    "%s: ≥ 10,000 generated bodies, never a 5xx, every 400 names its fields, nothing stored from a refused body",
    async (name) => {
      const target = targets.find((t) => t.name === name)!;
      // After the delivery day (actuals are taken), before its baseline deadline has any say
      // (nominations are checked against the look-ahead's capacity), before 2099-07-06.
      clockSource.current = systemClock;
      if (target.id === "PostActuals") {
        const after = Date.parse("2027-06-15T09:00:00+01:00");
        clockSource.current = { nowMs: () => after };
      }
      const before = await tableItems(local.stack.tableName);
      const accepted = new Set<string>();
      const statuses = new Map<string, number>();
      const kinds = new Map<string, number>();
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(target.bodies, async ({ kind: bodyKind, text }) => {
          kinds.set(bodyKind, (kinds.get(bodyKind) ?? 0) + 1);
          const response = await send(target, text);
          const body = JSON.parse(response.body ?? "null");
          const label = `${response.statusCode} ${body?.code ?? ""}`;
          statuses.set(label, (statuses.get(label) ?? 0) + 1);
          expect(response.statusCode).toBeLessThan(500);
          expect(leaksIn(response.body ?? "", [], text)).toEqual([]);
          if (response.statusCode >= 200 && response.statusCode < 300) {
            expect(target.acceptedId, `${name} accepts nothing here`).toBeDefined();
            accepted.add(target.acceptedId!(body));
            return;
          }
          expect([400, 404, 409, 413, 415, 422]).toContain(response.statusCode);
          expect(response.headers?.["content-type"]).toBe("application/problem+json");
          if (response.statusCode === 400 || response.statusCode === 422) {
            expect(body.errors?.length ?? 0, JSON.stringify(body)).toBeGreaterThan(0);
            for (const error of body.errors) {
              expect(typeof error.path).toBe("string");
              expect(error.path.length).toBeGreaterThan(0);
              if (target.contentType === "text/csv" && body.code === "VALIDATION_FAILED")
                expect(error.path).toMatch(/^line \d+\.[A-Za-z]+$|^line \d+$/);
            }
          }
        }),
        propertyParams(`BI ${name}`, RUNS),
      );
      const ms = performance.now() - started;
      const after = await tableItems(local.stack.tableName);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
        (k) => before.get(k) !== after.get(k),
      );
      const unexplained = changed.filter(
        (k) =>
          ![...accepted].some((a) => `${k}${after.get(k) ?? before.get(k)}`.includes(a)) &&
          !(accepted.size > 0 && isBookkeeping(k)),
      );
      process.stdout.write(
        `[BI] ${name}: ${RUNS} bodies in ${(ms / 1000).toFixed(1)} s; accepted ${accepted.size}; ` +
          `${JSON.stringify(Object.fromEntries(statuses))}; kinds ${JSON.stringify(Object.fromEntries(kinds))}\n`,
      );
      expect(unexplained).toEqual([]);
      if (accepted.size === 0) expect(changed).toEqual([]);
      for (const label of target.reaches ?? []) expect([...statuses.keys()]).toContain(label);
    },
    600_000,
  );

  it("answers 415 for a body that is neither JSON nor CSV, storing nothing", async () => {
    const target = targets.find((t) => t.name === "SubmitMeterReadings (CSV)")!;
    const before = await tableItems(local.stack.tableName);
    for (const type of ["text/plain", "application/xml", "text/tab-separated-values"]) {
      const response = await send(target, "a\tb", { "Content-Type": type });
      expect([response.statusCode, JSON.parse(response.body).code]).toEqual([
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ]);
    }
    expect(await tableItems(local.stack.tableName)).toEqual(before);
  });
});

/**
 * Items an accepted write changes besides the ones named by its id: the audit trail, the
 * scheme-day's input revision (D-228) and a topology change's receive-order counter
 * (R-VERIFY-2), each written in the accepted write's transaction.
 */
function isBookkeeping(key: string): boolean {
  return (
    key.startsWith("AUDIT#") ||
    key.startsWith("PTDAY#") ||
    key.startsWith("PAUDIT#") ||
    (key.startsWith("TOPOLOGY#") && key.endsWith("|SEQ"))
  );
}
