import { DateTime } from "luxon";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ASSET_CSV_COLUMNS } from "../../functions/core/access/asset-csv-columns";
import { onboard, type Trader, waitFor } from "../../lib/client/api-client";
import { lookAheadBody } from "../support/look-ahead-builder";
import { useLocalStack } from "../support/use-local-stack";
import {
  type ConsoleBrowser,
  consolePage,
  ensureConsoleBuilt,
  launchChromium,
  screenshot,
  seriousAxeViolations,
} from "./browser";

/**
 * The web console in Debian's Chromium against a real local stack: what a participant and the
 * operator see and do, checked against the API itself. Every page is screenshotted under
 * test-results/console/ and checked with axe-core (no serious or critical violation).
 */
const used = useLocalStack();
let chromium: ConsoleBrowser;

const tomorrow = DateTime.now().setZone("Europe/London").plus({ days: 1 }).toISODate()!;
const OPEN_SCHEME = "CONSOLE-OPEN";
const DONE_SCHEME = "CONSOLE-DONE";
let buyer: Trader;
let seller: Trader;
let openCycleId: string;
let doneCycleId: string;

/** Two entries behind C1: G4-A forecast to be curtailed (a buyer), G5-A not (a seller). */
function lookAhead(scheme: string, gateClosureAt: string) {
  return lookAheadBody(
    tomorrow,
    [
      {
        constraintId: "C1",
        required: { 25: 3.5, 26: 4, 27: 4, 28: 3.5 },
        mol: [
          { entryId: "G4-A", capacityMw: 5, forecastMw: 4.5 },
          { entryId: "G5-A", capacityMw: 3, forecastMw: 3 },
        ],
      },
    ],
    {
      lookAheadId: `LA-${scheme}`,
      anmSchemeId: scheme,
      issuedAt: new Date().toISOString(),
      gateClosureAt,
    },
  );
}

async function addQualifiedAsset(trader: Trader, scheme: string, entryId: string): Promise<void> {
  const { api, stack } = used;
  const asset = await api.expect(201, "POST", "/assets", {
    key: trader.apiKey,
    body: {
      name: `${trader.name} ${scheme}`,
      assetType: "discrete",
      technology: "wind",
      exportCapacityMw: 5,
      connectionVoltageKv: 33,
      postcode: "M1 1AA",
      anmSchemeId: scheme,
      molEntryIds: [entryId],
    },
  });
  await api.expect(200, "POST", `/assets/${asset.assetId}/decision`, {
    key: stack.keys.operator,
    body: { decision: "qualify" },
  });
}

async function runCycle(scheme: string, gateInMs: number, until: string): Promise<string> {
  const { api, stack } = used;
  const { cycleId } = await api.expect(202, "POST", "/anm/look-aheads", {
    key: stack.keys.anm,
    body: lookAhead(scheme, new Date(Date.now() + gateInMs).toISOString()),
  });
  await waitFor(
    () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: stack.keys.operator }),
    (cycle) => cycle.status === until || cycle.status === "failed",
    90_000,
    250,
  );
  return cycleId;
}

/**
 * Why the setup failed (no Chromium, a build error): every test then fails with it — a missing
 * browser must show as failed tests, never as skipped ones.
 */
let setupError: unknown;
beforeEach(() => {
  if (setupError) throw setupError;
});

beforeAll(async () => {
  try {
    ensureConsoleBuilt();
    chromium = await launchChromium();
  } catch (error) {
    setupError = error;
    return;
  }
  const { api, stack } = used;
  // A day that has been through the whole cycle (trades, a published MOL) ...
  buyer = await onboard(api, stack.keys.operator, {
    name: "G4",
    anmSchemeId: DONE_SCHEME,
    entryIds: ["G4-A"],
  });
  seller = await onboard(api, stack.keys.operator, {
    name: "G5",
    anmSchemeId: DONE_SCHEME,
    entryIds: ["G5-A"],
  });
  const gate = Date.now() + 8_000;
  const { cycleId } = await api.expect(202, "POST", "/anm/look-aheads", {
    key: stack.keys.anm,
    body: lookAhead(DONE_SCHEME, new Date(gate).toISOString()),
  });
  doneCycleId = cycleId;
  await waitFor(
    () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: stack.keys.operator }),
    (cycle) => cycle.status === "markets-open",
    60_000,
    250,
  );
  const opportunities = async (trader: Trader) =>
    (
      await api.expect(200, "GET", `/opportunities?deliveryDate=${tomorrow}`, {
        key: trader.apiKey,
      })
    ).items;
  const [bid] = await opportunities(buyer);
  const [offer] = await opportunities(seller);
  await api.expect(201, "POST", "/orders", {
    key: buyer.apiKey,
    body: {
      marketId: bid.marketId,
      entryId: "G4-A",
      side: "buy",
      quantityMw: 3,
      availabilityPrice: 20,
      utilisationPrice: 40,
    },
  });
  await api.expect(201, "POST", "/orders", {
    key: seller.apiKey,
    body: {
      marketId: offer.marketId,
      entryId: "G5-A",
      side: "sell",
      quantityMw: 3,
      availabilityPrice: 10,
      utilisationPrice: 25,
      serviceType: "generation-turn-down",
    },
  });
  await waitFor(
    () => api.expect(200, "GET", `/cycles/${cycleId}`, { key: stack.keys.operator }),
    (cycle) => cycle.status === "published" || cycle.status === "failed",
    90_000,
    250,
  );
  // ... and a day whose markets stay open while the tests trade through the console.
  await addQualifiedAsset(buyer, OPEN_SCHEME, "G4-A");
  await addQualifiedAsset(seller, OPEN_SCHEME, "G5-A");
  openCycleId = await runCycle(OPEN_SCHEME, 30 * 60_000, "markets-open");
}, 240_000);

afterAll(async () => {
  await chromium?.close();
});

const consoleUrl = (hash = "") => `${used.stack.url}/console/${hash}`;

/** Screenshot, then axe: no serious or critical violation, no script or CSP error. */
async function checkPage(page: Page, problems: string[], name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  expect(problems, `errors on ${name}`).toEqual([]);
}

async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.goto(consoleUrl("#/sign-in"));
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

describe("the console, signed out", () => {
  it("offers sign-in and registration, and refuses a wrong key next to the key field", async () => {
    const { page, problems } = await consolePage(chromium.browser);
    await page.goto(consoleUrl());
    await expect.poll(() => page.url()).toContain("#/sign-in");
    await expect.poll(() => page.title()).toBe("Sign in — BiTraDER console");
    await checkPage(page, problems, "01-sign-in");

    await page.getByLabel("API key").fill("not-a-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    const error = page.locator('[data-error-for="apiKey"]');
    await error.waitFor();
    expect(await page.getByLabel("API key").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator(".error-summary").getAttribute("data-code")).toBe("UNAUTHENTICATED");
    // The key typed is never put in the URL.
    expect(page.url()).not.toContain("not-a-key");
    await page.context().close();
  });
});

describe("the console from the keyboard alone", () => {
  it("skips to the content, signs in with Enter, lands on the page heading and sorts a column", async () => {
    const { page, problems } = await consolePage(chromium.browser);
    await page.goto(consoleUrl("#/sign-in"));
    await page.getByLabel("API key").waitFor();
    const active = () =>
      page.evaluate("document.activeElement?.id || document.activeElement?.textContent");
    await page.keyboard.press("Tab");
    expect(await active()).toBe("Skip to main content");
    // Tab reaches the key field (after the skip link and the navigation).
    for (let presses = 0; presses < 10 && (await active()) !== "sign-in-apiKey"; presses += 1) {
      await page.keyboard.press("Tab");
    }
    expect(await active()).toBe("sign-in-apiKey");
    await page.keyboard.type(used.stack.keys.operator);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await expect.poll(() => page.evaluate("document.activeElement?.tagName")).toBe("H1");
    expect(await active()).toBe("Participants");
    const header = page.locator('table[data-table="participants"] th').first();
    for (let presses = 0; presses < 20 && (await active()) !== "Organisation ↕"; presses += 1) {
      await page.keyboard.press("Tab");
    }
    expect(await active()).toBe("Organisation ↕");
    await page.keyboard.press("Enter");
    expect(await header.getAttribute("aria-sort")).toBe("ascending");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe("a participant", () => {
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    if (setupError) return;
    ({ page, problems } = await consolePage(chromium.browser));
    await signIn(page, seller.apiKey);
  });
  afterAll(async () => {
    await page?.context().close();
  });

  it("signs in with its key and sees its own pages, named after its organisation", async () => {
    await expect.poll(() => page.url()).toContain("#/opportunities");
    expect(await page.locator(".who").textContent()).toContain("G5 Energy Ltd (participant)");
    const nav = await page.locator("nav a").allTextContents();
    expect(nav).toEqual(["Opportunities", "Orders", "Trades", "Assets", "Account"]);
    expect(await page.evaluate("sessionStorage.length")).toBe(1);
    expect(page.url()).not.toContain(seller.apiKey);
  });

  it("sees exactly the opportunities GET /opportunities gives for the day, with their figures", async () => {
    await page.goto(consoleUrl(`#/opportunities?date=${tomorrow}`));
    const table = page.locator('table[data-table="opportunities"]');
    await table.locator("tbody tr[data-id]").first().waitFor();
    const { items } = await used.api.expect(200, "GET", `/opportunities?deliveryDate=${tomorrow}`, {
      key: seller.apiKey,
    });
    expect(items.length).toBeGreaterThan(0);
    const shown = await table
      .locator("tbody tr[data-id]")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-id")));
    expect(shown.sort()).toEqual(
      items.map((o: { opportunityId: string }) => o.opportunityId).sort(),
    );
    const headers = await table.locator("thead th").allTextContents();
    const cell = (row: string[], header: string) =>
      row[headers.findIndex((h) => h.startsWith(header))]!;
    for (const o of items) {
      const row = await table
        .locator(`tbody tr[data-id="${o.opportunityId}"] td`)
        .allTextContents();
      expect(cell(row, "MOL entry")).toBe(o.entryId);
      expect(cell(row, "Opportunity")).toBe("Offer (sell)");
      expect(Number(cell(row, "Max quantity MW"))).toBe(o.maxQuantityMw);
      expect(Number(cell(row, "MOL position"))).toBe(o.curtailmentOrder);
      expect(Number(cell(row, "MW ahead"))).toBe(o.mwAhead);
      expect(Number(cell(row, "Constraint size MW"))).toBe(o.constraintSizeMw);
      expect(Number(cell(row, "Buyers' depth MW"))).toBe(o.marketDepth.buyMw);
      expect(Number(cell(row, "Sellers' depth MW"))).toBe(o.marketDepth.sellMw);
      // Europe/London with the offset: in winter +00:00, in summer +01:00.
      const offset = DateTime.fromISO(o.windowStart).setZone("Europe/London").toFormat("ZZ");
      expect(cell(row, "Start – end")).toContain(offset);
    }
    await checkPage(page, problems, "02-opportunities");
  });

  it("opens an opportunity: its curtailment plot, the gate-closure countdown and the order form", async () => {
    const open = await openOpportunity(page);
    const details = page.locator('[data-section="opportunity"]');
    await details.locator(".uplot canvas").first().waitFor();
    expect(await details.locator("figcaption").textContent()).toContain(
      "predicted curtailment per settlement period",
    );
    const timer = details.getByRole("timer");
    expect(await timer.textContent()).toMatch(/^in \d+ min \d{2} s$/);
    expect(open.gateClosureAt).toBeTruthy();
    await checkPage(page, problems, "03-opportunity-details");
  });

  it("takes no order in a market that is no longer open, and says so", async () => {
    const { items } = await used.api.expect(200, "GET", `/opportunities?deliveryDate=${tomorrow}`, {
      key: seller.apiKey,
    });
    const markets = (
      await used.api.expect(200, "GET", `/markets?deliveryDate=${tomorrow}`, { key: seller.apiKey })
    ).items;
    const done = markets.find((m: { anmSchemeId: string }) => m.anmSchemeId === DONE_SCHEME);
    expect(done.status).toBe("matched");
    const o = items.find((x: { marketId: string }) => x.marketId === done.marketId);
    await page.goto(consoleUrl(`#/opportunities?date=${tomorrow}&opportunity=${o.opportunityId}`));
    const note = page.locator('[data-section="market-not-open"]');
    await note.waitFor();
    expect(await note.textContent()).toContain("matched");
    expect(await page.locator('form[data-form="order"]').count()).toBe(0);
    const row = page.locator(`table[data-table="opportunities"] tr[data-id="${o.opportunityId}"]`);
    expect(await row.locator(".badge").textContent()).toBe("matched");
  });

  it("submits an offer through the form and finds it in GET /orders", async () => {
    const o = await openOpportunity(page);
    const form = page.locator('form[data-form="order"]');
    await form.getByLabel("Quantity").fill("1.5");
    await form.getByLabel("Availability price").fill("11.25");
    await form.getByLabel("Utilisation price").fill("26");
    await form.getByLabel("Service type").selectOption("generation-turn-down");
    await form.getByRole("button", { name: "Submit offer" }).click();
    const orderId = await form.locator('[data-value="orderId"]').textContent();
    expect(orderId).toMatch(/^ord-/);
    const { items } = await used.api.expect(200, "GET", `/orders?marketId=${o.marketId}`, {
      key: seller.apiKey,
    });
    expect(items).toContainEqual(
      expect.objectContaining({
        orderId,
        marketId: o.marketId,
        entryId: "G5-A",
        side: "sell",
        quantityMw: 1.5,
        availabilityPrice: 11.25,
        utilisationPrice: 26,
        serviceType: "generation-turn-down",
        status: "open",
      }),
    );
    await checkPage(page, problems, "04-order-submitted");
  });

  it.each([
    {
      field: "quantityMw",
      label: "Quantity",
      value: "99",
      code: "QUANTITY_EXCEEDS_CAPACITY",
      shot: "05-order-refused-quantity",
    },
    {
      field: "availabilityPrice",
      label: "Availability price",
      value: "10.123",
      code: "VALIDATION_FAILED",
      shot: "06-order-refused-price",
    },
  ])(
    "shows a refused order's $code next to $field, and nothing is stored",
    async ({ field, label, value, code, shot }) => {
      const o = await openOpportunity(page);
      const before = (
        await used.api.expect(200, "GET", `/orders?marketId=${o.marketId}`, { key: seller.apiKey })
      ).items;
      const form = page.locator('form[data-form="order"]');
      await form.getByLabel("Quantity").fill("1");
      await form.getByLabel("Availability price").fill("10");
      await form.getByLabel("Utilisation price").fill("20");
      await form.getByLabel(label, { exact: true }).fill(value);
      await form.getByRole("button", { name: "Submit offer" }).click();
      const error = form.locator(`[data-field="${field}"] [data-error-for="${field}"]`);
      await error.waitFor();
      expect((await error.textContent())!.length).toBeGreaterThan(10);
      expect(await form.getByLabel(label, { exact: true }).getAttribute("aria-invalid")).toBe(
        "true",
      );
      expect(await form.locator(".error-summary").getAttribute("data-code")).toBe(code);
      // Only that field is marked.
      expect(await form.locator("[data-error-for]").count()).toBe(1);
      // Focus moves to the summary, which names the field.
      expect(await page.evaluate("document.activeElement?.className")).toBe("error-summary");
      const after = (
        await used.api.expect(200, "GET", `/orders?marketId=${o.marketId}`, { key: seller.apiKey })
      ).items;
      expect(after).toEqual(before);
      await checkPage(page, problems, shot);
    },
  );

  it("amends and withdraws its order from the orders page", async () => {
    const { items } = await used.api.expect(200, "GET", "/orders", { key: seller.apiKey });
    const order = items.find(
      (o: { status: string; availabilityPrice: number }) =>
        o.status === "open" && o.availabilityPrice === 11.25,
    );
    await page.goto(consoleUrl("#/orders"));
    const row = page.locator(`table[data-table="orders"] tr[data-id="${order.orderId}"]`);
    await row.waitFor();
    await checkPage(page, problems, "07-orders");
    await row.getByRole("link", { name: `Amend order ${order.orderId}` }).click();
    const amend = page.locator('form[data-form="amend"]');
    await amend.getByLabel("Quantity").fill("1.25");
    await checkPage(page, problems, "08-order-amend");
    await amend.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("status").filter({ hasText: "amended" }).waitFor();
    expect(
      (await used.api.expect(200, "GET", `/orders/${order.orderId}`, { key: seller.apiKey }))
        .quantityMw,
    ).toBe(1.25);

    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: `Withdraw order ${order.orderId}` }).click();
    await page.getByRole("status").filter({ hasText: "withdrawn" }).waitFor();
    expect(
      (await used.api.expect(200, "GET", `/orders/${order.orderId}`, { key: seller.apiKey }))
        .status,
    ).toBe("withdrawn");
  });

  it("sees its trades of the day, as GET /trades gives them", async () => {
    await page.goto(consoleUrl(`#/trades?date=${tomorrow}`));
    const { items } = await used.api.expect(200, "GET", `/trades?deliveryDate=${tomorrow}`, {
      key: seller.apiKey,
    });
    expect(items).toHaveLength(1);
    const row = page.locator(`table[data-table="trades"] tr[data-id="${items[0].tradeId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("G4-A");
    await checkPage(page, problems, "09-trades");
  });

  it("registers an asset through the form and sees it pending; a claimed entry is refused next to its field", async () => {
    await page.goto(consoleUrl("#/assets"));
    await page.locator('table[data-table="assets"] tbody tr[data-id]').first().waitFor();
    const form = page.locator('form[data-form="asset"]');
    const fill = async (name: string) => {
      await form.getByLabel("Asset name").fill(name);
      await form.getByLabel("Technology").fill("solar");
      await form.getByLabel("Export capacity").fill("2.5");
      await form.getByLabel("Connection voltage").fill("11");
      await form.getByLabel("Postcode").fill("M2 2BB");
      await form.getByLabel("ANM scheme id").fill(OPEN_SCHEME);
    };
    // G4-A is claimed by the buyer's asset in this scheme.
    await fill("Borrowed entry");
    await form.getByLabel("MOL entry ids").fill("G4-A");
    await form.getByRole("button", { name: "Register asset" }).click();
    await form.locator('[data-error-for="molEntryIds"]').waitFor();
    expect(await form.locator(".error-summary").getAttribute("data-code")).toBe(
      "ENTRY_ALREADY_CLAIMED",
    );

    await fill("G5 solar roof");
    await form.getByLabel("MOL entry ids").fill("G5-S1, G5-S2");
    await form.getByRole("button", { name: "Register asset" }).click();
    await page.getByRole("status").filter({ hasText: "G5 solar roof" }).waitFor();
    const assets = (await used.api.expect(200, "GET", "/assets", { key: seller.apiKey })).items;
    const created = assets.find((a: { name: string }) => a.name === "G5 solar roof");
    expect(created).toMatchObject({
      status: "pending",
      molEntryIds: ["G5-S1", "G5-S2"],
      exportCapacityMw: 2.5,
    });
    await page.locator(`table[data-table="assets"] tr[data-id="${created.assetId}"]`).waitFor();
    await checkPage(page, problems, "10-assets");
  });

  it("downloads the CSV template and uploads a file of assets: each row's result in a table", async () => {
    await page.goto(consoleUrl("#/assets"));
    const link = page.locator('a[data-link="asset-template"]');
    await link.waitFor();
    const href = (await link.getAttribute("href"))!;
    const template = decodeURIComponent(href.slice(href.indexOf(",") + 1));
    expect(template.split("\r\n")[0]).toBe(ASSET_CSV_COLUMNS.map((c) => c.column).join(","));
    const [header] = template.split("\r\n");
    const row = (name: string, capacity: string, entry: string) =>
      `${name},discrete,solar,${capacity},,11,,,M2 2BB,CONSOLE-BULK,${entry},,,`;
    const csv = `${header}\n${row("Bulk roof", "1.5", "B-1")}\n${row("Bad roof", "lots", "B-2")}\n`;
    const form = page.locator('form[data-form="bulk-assets"]');
    await form
      .getByLabel("CSV file")
      .setInputFiles({ name: "assets.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await form.getByRole("button", { name: "Upload assets" }).click();
    const results = page.locator('table[data-table="bulk-results"]');
    await results.locator('tr[data-id="3"]').waitFor();
    expect(await results.locator('tr[data-id="3"]').textContent()).toContain(
      "Export Capacity (MW)",
    );
    expect(await results.locator('tr[data-id="2"]').textContent()).toContain("created");
    await page.getByRole("status").filter({ hasText: "1 created" }).waitFor();
    const assets = (await used.api.expect(200, "GET", "/assets", { key: seller.apiKey })).items;
    expect(assets.filter((a: { name: string }) => a.name === "Bulk roof")).toHaveLength(1);
    expect(assets.filter((a: { name: string }) => a.name === "Bad roof")).toHaveLength(0);
    await checkPage(page, problems, "10b-assets-bulk");
  });

  it("sees its organisation's record", async () => {
    await page.goto(consoleUrl("#/account"));
    await page.locator('[data-section="account"]').waitFor();
    expect(await page.locator('[data-section="account"]').textContent()).toContain(
      seller.participantId,
    );
    await checkPage(page, problems, "11-account");
  });

  it("signs out, and the key is forgotten", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => page.url()).toContain("#/sign-in");
    expect(await page.evaluate("sessionStorage.length")).toBe(0);
    await page.goto(consoleUrl("#/orders"));
    await expect.poll(() => page.url()).toContain("#/sign-in");
  });
});

/** Opens the open market's opportunity of the seller (G5-A) and returns it. */
async function openOpportunity(page: Page) {
  const { items } = await used.api.expect(200, "GET", `/opportunities?deliveryDate=${tomorrow}`, {
    key: seller.apiKey,
  });
  const markets = (
    await used.api.expect(200, "GET", `/markets?deliveryDate=${tomorrow}`, { key: seller.apiKey })
  ).items;
  const open = markets.find((m: { anmSchemeId: string }) => m.anmSchemeId === OPEN_SCHEME);
  const o = items.find((x: { marketId: string }) => x.marketId === open.marketId);
  await page.goto(consoleUrl(`#/opportunities?date=${tomorrow}&opportunity=${o.opportunityId}`));
  await page.locator('[data-section="opportunity"] form[data-form="order"]').waitFor();
  return o;
}

describe("a newcomer and the operator", () => {
  let registration: { participantId: string; claimSecret: string };

  it("registers through the form (a bad company number refused next to it) and sees the claim secret once", async () => {
    const { page, problems } = await consolePage(chromium.browser);
    await page.goto(consoleUrl("#/register"));
    const form = page.locator('form[data-form="registration"]');
    await form.getByLabel("Legal name").fill("Newcomer Wind Ltd");
    await form.getByLabel("Companies House number").fill("123");
    await form.getByLabel("Registered address").fill("2 Turbine Row, Bolton");
    await form.getByLabel("Contact name").fill("Trading desk");
    await form.getByLabel("Contact email").fill("desk@newcomer.example");
    await form.getByRole("button", { name: "Register" }).click();
    await form.locator('[data-error-for="organisation.companyNumber"]').waitFor();
    expect(await form.locator("[data-error-for]").count()).toBe(1);
    await checkPage(page, problems, "12-register-refused");

    await form.getByLabel("Companies House number").fill("12345678");
    await form.getByRole("button", { name: "Register" }).click();
    const shown = page.locator('[data-section="registered"]');
    await shown.waitFor();
    registration = {
      participantId: (await shown.locator('[data-value="participantId"]').textContent())!,
      claimSecret: (await shown.locator('[data-value="claimSecret"]').textContent())!,
    };
    expect(registration.participantId).toMatch(/^par-/);
    await checkPage(page, problems, "13-registered");
    await page.context().close();
  });

  it("the operator approves the participant and qualifies the asset; the API shows both", async () => {
    const { page, problems } = await consolePage(chromium.browser);
    await signIn(page, used.stack.keys.operator);
    await expect.poll(() => page.url()).toContain("#/participants");
    expect(await page.locator("nav a").allTextContents()).toEqual([
      "Participants",
      "Trades",
      "Assets",
      "Cycles",
      "Merit order",
    ]);
    const row = page.locator(
      `table[data-table="participants"] tr[data-id="${registration.participantId}"]`,
    );
    await row.waitFor();
    await checkPage(page, problems, "14-operator-participants");
    await row.getByRole("button", { name: "Approve Newcomer Wind Ltd" }).click();
    await page.getByRole("status").filter({ hasText: "approve recorded" }).waitFor();
    const participant = await used.api.expect(
      200,
      "GET",
      `/participants/${registration.participantId}`,
      {
        key: used.stack.keys.operator,
      },
    );
    expect(participant.status).toBe("approved");
    await row.waitFor({ state: "detached" });

    await page.goto(consoleUrl("#/review-assets"));
    const assets = (await used.api.expect(200, "GET", "/assets", { key: used.stack.keys.operator }))
      .items;
    const pending = assets.find((a: { name: string }) => a.name === "G5 solar roof");
    const assetRow = page.locator(
      `table[data-table="review-assets"] tr[data-id="${pending.assetId}"]`,
    );
    await assetRow.waitFor();
    await checkPage(page, problems, "15-operator-assets");
    await assetRow.getByRole("button", { name: "Qualify G5 solar roof" }).click();
    await page.getByRole("status").filter({ hasText: "qualify recorded" }).waitFor();
    const asset = await used.api.expect(200, "GET", `/assets/${pending.assetId}`, {
      key: used.stack.keys.operator,
    });
    expect(asset.status).toBe("qualified");
    await page.context().close();
  });

  it("the newcomer claims its key with the secret (once) and signs in with it", async () => {
    const { page, problems } = await consolePage(chromium.browser);
    await page.goto(consoleUrl("#/register"));
    const form = page.locator('form[data-form="claim"]');
    await form.getByLabel("Participant id").fill(registration.participantId);
    await form.getByLabel("Claim secret").fill(registration.claimSecret);
    await form.getByRole("button", { name: "Claim key" }).click();
    const key = await page.locator('[data-value="apiKey"]').textContent();
    expect(key).toBeTruthy();
    await checkPage(page, problems, "16-key-claimed");
    await page.getByRole("button", { name: "Sign in with this key" }).click();
    await expect.poll(() => page.url()).toContain("#/opportunities");
    expect(await page.locator(".who").textContent()).toContain("Newcomer Wind Ltd");
    await page.context().close();
  });

  it("the operator sees the day's cycles and each one's execution as a timeline", async () => {
    const { page, problems } = await consolePage(chromium.browser);
    await signIn(page, used.stack.keys.operator);
    await page.goto(consoleUrl(`#/cycles?date=${tomorrow}`));
    const table = page.locator('table[data-table="cycles"]');
    await table.locator(`tr[data-id="${doneCycleId}"]`).waitFor();
    const { items } = await used.api.expect(200, "GET", `/cycles?deliveryDate=${tomorrow}`, {
      key: used.stack.keys.operator,
    });
    expect(await table.locator("tbody tr[data-id]").count()).toBe(items.length);
    expect(await table.locator(`tr[data-id="${openCycleId}"]`).textContent()).toContain(
      "markets-open",
    );
    await table.locator(`tr[data-id="${doneCycleId}"]`).getByRole("link").click();
    const timeline = page.locator('[data-section="timeline"]');
    await timeline.waitFor();
    const execution = await used.api.expect(200, "GET", `/cycles/${doneCycleId}/execution`, {
      key: used.stack.keys.operator,
    });
    const entered = execution.events
      .filter((e: { type: string }) => e.type.endsWith("StateEntered"))
      .map((e: { state: string }) => e.state);
    const states = await timeline
      .locator("li")
      .evaluateAll((items) => items.map((li) => li.getAttribute("data-state")));
    expect(states).toEqual(entered);
    expect(states).toContain("WaitForGateClosure");
    await checkPage(page, problems, "17-operator-cycle-timeline");

    await page.goto(
      consoleUrl(`#/merit-order?scheme=${DONE_SCHEME}&date=${tomorrow}&constraint=C1`),
    );
    const mol = page.locator('[data-section="merit-order"]');
    await mol.waitFor();
    expect(await mol.locator("h2").textContent()).toContain("published");
    expect(
      await mol.locator('table[data-table="merit-order-segment"] tbody tr').count(),
    ).toBeGreaterThan(1);
    await checkPage(page, problems, "18-operator-merit-order");
    await page.context().close();
  });
});
