import { beforeAll, describe, expect, it } from "vitest";
import { ASSET_CSV_COLUMNS, assetCsvTemplate } from "../../functions/core/access/asset-csv-columns";
import { onboard } from "../../lib/client/api-client";
import { useLocalStack } from "../support/use-local-stack";

/**
 * `POST /assets:bulk` over real HTTP on the local stack (D-115…D-118): a file of 500 asset rows
 * with 20 bad ones creates exactly the 480 good ones, reports the 20 with their line, code and
 * column, and the same file again creates nothing new; the media type, size and header checks.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();
const SCHEME = `BULK-${process.pid}`;
const HEADER = ASSET_CSV_COLUMNS.map((c) => c.column);

let uploader: { participantId: string; apiKey: string };
let operatorKey: string;

/** A keyholder without assets (register, approval, key claim). */
async function keyholder(name: string) {
  const api = local.api;
  const registration = await api.expect(201, "POST", "/registrations", {
    body: {
      organisation: {
        legalName: `${name} Energy Ltd`,
        companyNumber: "01234567",
        registeredAddress: "1 Grid Street, Manchester",
      },
      contact: { name: `${name} desk`, email: `desk@${name.toLowerCase()}.example` },
    },
  });
  await api.expect(200, "POST", `/participants/${registration.participantId}/decision`, {
    key: operatorKey,
    body: { decision: "approve" },
  });
  const { apiKey } = await api.expect(
    201,
    "POST",
    `/registrations/${registration.participantId}/api-key`,
    { body: { claimSecret: registration.claimSecret } },
  );
  return { participantId: registration.participantId as string, apiKey: apiKey as string };
}

type Cells = Record<string, string>;
/** A good row: its own entry in the scheme. */
const good = (n: number): Cells => ({
  "Asset Name": `Bulk site ${n}`,
  "Asset Type": n % 7 === 0 ? "group" : "discrete",
  "Technology Type": n % 3 === 0 ? "solar PV" : "wind",
  "Export Capacity (MW)": String(1 + (n % 40) / 8),
  "Import Capacity (MW)": n % 5 === 0 ? "0.5" : "",
  "Connection Voltage (kV)": "33",
  "Export MPAN": n % 2 === 0 ? "1234567890126" : "",
  "Import MPAN": "",
  "Site Postcode": "M1 1AA",
  "ANM Scheme ID": SCHEME,
  "MOL Entry IDs": n % 11 === 0 ? `E-${n}-A;E-${n}-B` : `E-${n}`,
  "Flexibility Contract IDs": n % 13 === 0 ? `FSC-${n}` : "",
  "Flexibility Contract Starts": n % 13 === 0 ? "2027-07-01T00:00:00+01:00" : "",
  "Flexibility Contract Ends": n % 13 === 0 ? "2027-08-01T00:00:00+01:00" : "",
});

/** The 20 bad rows: index in the file (0 = first data row) → its cells, code and column. */
const BAD: { index: number; cells: (n: number) => Cells; code: string; column: string }[] = [
  {
    index: 3,
    cells: (n) => ({ ...good(n), "Asset Name": "" }),
    code: "VALIDATION_FAILED",
    column: "Asset Name",
  },
  {
    index: 17,
    cells: (n) => ({ ...good(n), "Export Capacity (MW)": "five" }),
    code: "VALIDATION_FAILED",
    column: "Export Capacity (MW)",
  },
  {
    index: 40,
    cells: (n) => ({ ...good(n), "Export Capacity (MW)": "1.2345" }),
    code: "VALIDATION_FAILED",
    column: "Export Capacity (MW)",
  },
  {
    index: 61,
    cells: (n) => ({ ...good(n), "Connection Voltage (kV)": "-33" }),
    code: "VALIDATION_FAILED",
    column: "Connection Voltage (kV)",
  },
  {
    index: 88,
    cells: (n) => ({ ...good(n), "Asset Type": "single" }),
    code: "VALIDATION_FAILED",
    column: "Asset Type",
  },
  {
    index: 102,
    cells: (n) => ({ ...good(n), "Site Postcode": "NOWHERE" }),
    code: "VALIDATION_FAILED",
    column: "Site Postcode",
  },
  {
    index: 130,
    cells: (n) => ({ ...good(n), "Export MPAN": "1234567890123" }),
    code: "VALIDATION_FAILED",
    column: "Export MPAN",
  },
  {
    index: 155,
    cells: (n) => ({ ...good(n), "Asset Name": '=HYPERLINK("http://x.example","site")' }),
    code: "VALIDATION_FAILED",
    column: "Asset Name",
  },
  {
    index: 170,
    cells: (n) => ({ ...good(n), "Technology Type": "@SUM(A1:A9)" }),
    code: "VALIDATION_FAILED",
    column: "Technology Type",
  },
  // An entry another participant's asset already holds (the scheme has no such free entry).
  {
    index: 199,
    cells: (n) => ({ ...good(n), "MOL Entry IDs": "TAKEN-1" }),
    code: "ENTRY_ALREADY_CLAIMED",
    column: "MOL Entry IDs",
  },
  // The very row 10 of the file again.
  { index: 230, cells: () => good(10), code: "DUPLICATE_ROW", column: "MOL Entry IDs" },
  {
    index: 251,
    cells: (n) => ({ ...good(n), "MOL Entry IDs": `E-${n};E-${n}` }),
    code: "VALIDATION_FAILED",
    column: "MOL Entry IDs",
  },
  {
    index: 277,
    cells: (n) => ({ ...good(n), "MOL Entry IDs": "not an id!" }),
    code: "VALIDATION_FAILED",
    column: "MOL Entry IDs",
  },
  {
    index: 300,
    cells: (n) => ({ ...good(n), "ANM Scheme ID": "" }),
    code: "VALIDATION_FAILED",
    column: "ANM Scheme ID",
  },
  {
    index: 333,
    cells: (n) => ({
      ...good(n),
      "Flexibility Contract IDs": "A;B",
      "Flexibility Contract Starts": "2027-07-01T00:00:00Z",
      "Flexibility Contract Ends": "2027-07-02T00:00:00Z;2027-07-03T00:00:00Z",
    }),
    code: "VALIDATION_FAILED",
    column: "Flexibility Contract Starts",
  },
  {
    index: 360,
    cells: (n) => ({
      ...good(n),
      "Flexibility Contract IDs": "C",
      "Flexibility Contract Starts": "2027-07-02T00:00:00Z",
      "Flexibility Contract Ends": "2027-07-01T00:00:00Z",
    }),
    code: "VALIDATION_FAILED",
    column: "Flexibility Contract Ends",
  },
  {
    index: 401,
    cells: (n) => ({ ...good(n), "Export Capacity (MW)": "2000000" }),
    code: "VALIDATION_FAILED",
    column: "Export Capacity (MW)",
  },
  {
    index: 432,
    cells: (n) => ({ ...good(n), "Connection Voltage (kV)": "" }),
    code: "VALIDATION_FAILED",
    column: "Connection Voltage (kV)",
  },
  {
    index: 470,
    cells: (n) => ({ ...good(n), "Import MPAN": "12345" }),
    code: "VALIDATION_FAILED",
    column: "Import MPAN",
  },
  {
    index: 499,
    cells: (n) => ({ ...good(n), "Technology Type": "+wind" }),
    code: "VALIDATION_FAILED",
    column: "Technology Type",
  },
];

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
const line = (cells: Cells) => HEADER.map((column) => quote(cells[column] ?? "")).join(",");

/** The file: the header, then 500 rows (line n + 2 is row n). */
function file(): string {
  const rows = Array.from({ length: 500 }, (_, n) => {
    const bad = BAD.find((b) => b.index === n);
    return line(bad ? bad.cells(n) : good(n));
  });
  return `\uFEFF${HEADER.join(",")}\r\n${rows.join("\r\n")}\r\n`;
}

const upload = (text: string, headers: Record<string, string> = { "content-type": "text/csv" }) =>
  local.api.request("POST", "/assets:bulk", { key: uploader.apiKey, body: text, headers });

async function ownAssets(): Promise<{ assetId: string; molEntryIds: string[]; name: string }[]> {
  const items = [];
  let token: string | undefined;
  do {
    const page = await local.api.expect(
      200,
      "GET",
      `/assets?limit=100${token ? `&nextToken=${encodeURIComponent(token)}` : ""}`,
      { key: uploader.apiKey },
    );
    items.push(...page.items);
    token = page.nextToken;
  } while (token);
  return items;
}

beforeAll(async () => {
  operatorKey = local.stack.keys.operator;
  uploader = await keyholder("BULKUP");
  await onboard(local.api, operatorKey, {
    name: "BULKOTHER",
    anmSchemeId: SCHEME,
    entryIds: ["TAKEN-1"],
  });
});

describe("a CSV of 500 asset rows with 20 bad ones", () => {
  let firstCreated: Map<number, string>;

  it("creates exactly the 480 good ones and reports the 20 with their line, code and column", async () => {
    const answer = await upload(file());
    expect(answer.status).toBe(200);
    expect(answer.body.counts).toEqual({ rows: 500, created: 480, existing: 0, refused: 20 });
    expect(answer.body.results).toHaveLength(500);
    const refused = answer.body.results.filter((r: { status: string }) => r.status === "refused");
    expect(
      refused.map((r: { row: number; code: string; errors: { path: string }[] }) => ({
        row: r.row,
        code: r.code,
        columns: [...new Set(r.errors.map((e) => e.path))],
      })),
    ).toEqual(BAD.map((b) => ({ row: b.index + 2, code: b.code, columns: [b.column] })));
    for (const r of refused) {
      expect(r.assetId).toBeUndefined();
      for (const e of r.errors) expect(e.message).toMatch(/\S/);
    }
    // The duplicate names the row it repeats; the formula cell says why.
    expect(refused.find((r: { row: number }) => r.row === 232).errors[0].message).toContain(
      "row 12",
    );
    expect(refused.find((r: { row: number }) => r.row === 157).errors[0].message).toContain(
      "formula",
    );

    const created = answer.body.results.filter((r: { status: string }) => r.status === "created");
    firstCreated = new Map(
      created.map((r: { row: number; assetId: string }) => [r.row, r.assetId]),
    );
    const assets = await ownAssets();
    expect(assets).toHaveLength(480);
    expect(new Set(assets.map((a) => a.assetId))).toEqual(new Set(firstCreated.values()));
    const row13 = assets.find((a) => a.assetId === firstCreated.get(13 + 2))!;
    expect(row13).toMatchObject({
      name: "Bulk site 13",
      status: "pending",
      flexibleServiceContracts: [
        {
          contractId: "FSC-13",
          start: "2027-07-01T00:00:00+01:00",
          end: "2027-08-01T00:00:00+01:00",
        },
      ],
    });
    expect(assets.find((a) => a.assetId === firstCreated.get(11 + 2))!.molEntryIds).toEqual([
      "E-11-A",
      "E-11-B",
    ]);
  }, 240_000);

  it("uploaded again creates nothing new: 480 existing (the same assets), 20 refused", async () => {
    const answer = await upload(file());
    expect(answer.status).toBe(200);
    expect(answer.body.counts).toEqual({ rows: 500, created: 0, existing: 480, refused: 20 });
    for (const r of answer.body.results)
      if (r.status === "existing") expect(r.assetId).toBe(firstCreated.get(r.row));
    expect(await ownAssets()).toHaveLength(480);
  }, 240_000);

  it("a row changed after its upload is refused, not a second asset: its entry is held", async () => {
    const changed = `${HEADER.join(",")}\n${line({ ...good(20), "Asset Name": "Renamed" })}\n`;
    const answer = await upload(changed);
    expect(answer.body.results).toEqual([
      {
        row: 2,
        status: "refused",
        code: "ENTRY_ALREADY_CLAIMED",
        errors: [{ path: "MOL Entry IDs", message: expect.stringContaining("item 1:") }],
      },
    ]);
    expect(await ownAssets()).toHaveLength(480);
  });
});

describe("what the route refuses as a whole, storing nothing", () => {
  it("another content type, or none: 415", async () => {
    const json = await upload(JSON.stringify({ rows: [] }), { "content-type": "application/json" });
    expect(json).toMatchObject({ status: 415, body: { code: "UNSUPPORTED_MEDIA_TYPE" } });
    // A byte body: fetch sends it without any content type.
    const untyped = await fetch(`${local.stack.url}/assets:bulk`, {
      method: "POST",
      headers: { "x-api-key": uploader.apiKey },
      body: new TextEncoder().encode(assetCsvTemplate()),
    });
    expect(untyped.status).toBe(415);
    expect(((await untyped.json()) as { code: string }).code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("an unknown or missing column: 400 naming each", async () => {
    const answer = await upload(`Asset Name,Colour\nX,blue\n`);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("VALIDATION_FAILED");
    const paths = answer.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain("header.Colour");
    expect(paths).toContain("header.Export Capacity (MW)");
    expect(paths).not.toContain("header.Import MPAN");
  });

  it("a header and no rows: 400", async () => {
    const answer = await upload(`${HEADER.join(",")}\n`);
    expect(answer).toMatchObject({ status: 400, body: { code: "VALIDATION_FAILED" } });
  });

  it("over 1,000 rows, or over 1 MiB: 413", async () => {
    const rows = Array.from({ length: 1001 }, (_, n) => line(good(100_000 + n)));
    const many = await upload(`${HEADER.join(",")}\n${rows.join("\n")}\n`);
    expect(many).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });
    expect(many.body.detail).toContain("1000");
    const big = await upload(`${HEADER.join(",")}\n${"x".repeat(1024 * 1024 + 1)}\n`);
    expect(big).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });
    expect(await ownAssets()).toHaveLength(480);
  });

  it("is the participant's: 401 without a key, 403 for the operator", async () => {
    const none = await local.api.request("POST", "/assets:bulk", {
      body: assetCsvTemplate(),
      headers: { "content-type": "text/csv" },
    });
    expect(none.status).toBe(401);
    const operator = await local.api.request("POST", "/assets:bulk", {
      key: operatorKey,
      body: assetCsvTemplate(),
      headers: { "content-type": "text/csv" },
    });
    expect(operator).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
  });
});

describe("the API answers CORS for the console's origin only (D-119)", () => {
  const consoleOrigin = () => new URL(local.stack.url).origin;
  const preflight = (path: string, origin: string) =>
    fetch(`${local.stack.url}${path}`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-api-key, content-type, idempotency-key",
      },
    });

  it("a preflight from the origin serving /console/ names the methods and headers the console sends", async () => {
    const page = await fetch(`${local.stack.url}/console/`);
    expect(page.status).toBe(200);
    const answer = await preflight("/assets:bulk", consoleOrigin());
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe(consoleOrigin());
    expect(answer.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
    expect(answer.headers.get("access-control-allow-headers")).toBe(
      "content-type, idempotency-key, x-api-key",
    );
    const assets = await preflight("/assets", consoleOrigin());
    expect(assets.headers.get("access-control-allow-methods")).toBe("POST, GET, OPTIONS");
  });

  it("a preflight from any other origin gets no Access-Control-Allow-Origin", async () => {
    for (const origin of ["https://evil.example", "http://localhost:1", "null"]) {
      const answer = await preflight("/assets:bulk", origin);
      expect(answer.headers.get("access-control-allow-origin")).toBeNull();
      expect(answer.headers.get("access-control-allow-methods")).toBeNull();
    }
  });

  it("answers and refusals name the console's origin, and no other", async () => {
    const get = (origin: string, key?: string) =>
      fetch(`${local.stack.url}/assets?limit=1`, {
        headers: { origin, ...(key ? { "x-api-key": key } : {}) },
      });
    const ok = await get(consoleOrigin(), uploader.apiKey);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(consoleOrigin());
    const unauthenticated = await get(consoleOrigin());
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("access-control-allow-origin")).toBe(consoleOrigin());
    for (const answer of [
      await get("https://evil.example", uploader.apiKey),
      await get("https://evil.example"),
    ])
      expect(answer.headers.get("access-control-allow-origin")).toBeNull();
  });
});
