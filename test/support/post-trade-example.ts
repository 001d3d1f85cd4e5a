import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import {
  type PostTradeScenario,
  parsePostTradeScenario,
} from "../../functions/core/use-cases/simulate-post-trade";
import { REPO_ROOT } from "../../lib/repo-root";

/** The post-trade worked example (`examples/post-trade-worked-example.json`). */
export const POST_TRADE_EXAMPLE_PATH = join(
  REPO_ROOT,
  "examples",
  "post-trade-worked-example.json",
);

/** A fresh copy of the post-trade worked example's JSON. */
export function postTradeExample() {
  return JSON.parse(readFileSync(POST_TRADE_EXAMPLE_PATH, "utf8"));
}

/** Parses a post-trade scenario that must be valid. */
export function parsedPostTrade(json: unknown): PostTradeScenario {
  const parsed = parsePostTradeScenario(json);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problem, null, 2));
  return parsed.value;
}

type Item = Record<string, unknown>;

/** Fields of a performance period the buyer's view does not show (the seller's data). */
const SELLER_ONLY = ["baselineMw", "meteredMw", "turnDownMw"];

/**
 * Asserts a simulated variant against the scenario's `expected` block, key by key, reading every
 * number from the block (nothing copied by hand): items are found by their natural key and must
 * contain every expected field; lists are complete (no missing and no extra items), except that
 * a trade has two lines and two performance items (buyer and seller) for each one expected;
 * events compare as sets of (type, recipient, subject).
 */
export function expectVariantMatches(
  actual: Record<string, Item[]>,
  expected: Record<string, Item[]>,
) {
  for (const [key, items] of Object.entries(expected)) {
    const got = actual[key];
    expect(got, `result has ${key}`).toBeDefined();
    switch (key) {
      case "events": {
        const triple = (e: Item) => `${e.type} ${e.recipient} ${e.subject}`;
        expect(got!.map(triple).sort(), key).toEqual(items.map(triple).sort());
        break;
      }
      case "performance":
      case "settlementLines": {
        expect(got!.length, `${key}: two items (buyer and seller) per trade`).toBe(
          items.length * 2,
        );
        for (const want of items) {
          const lines = got!.filter((g) => g.tradeId === want.tradeId);
          expect(lines.map((l) => l.role).sort(), `${key} ${want.tradeId}`).toEqual([
            "buyer",
            "seller",
          ]);
          for (const line of lines) {
            const shown =
              line.role === "buyer" && Array.isArray(want.periods)
                ? {
                    ...want,
                    periods: (want.periods as Item[]).map((p) =>
                      Object.fromEntries(
                        Object.entries(p).filter(([f]) => !SELLER_ONLY.includes(f)),
                      ),
                    ),
                  }
                : want;
            expect(line, `${key} ${want.tradeId} ${line.role}`).toMatchObject(shown);
          }
        }
        break;
      }
      case "baselines":
        for (const want of items)
          expect(
            got!.find((g) => g.entryId === want.entryId && g.sp === want.sp),
            `baseline ${want.entryId} SP${want.sp}`,
          ).toMatchObject(want);
        break;
      default: {
        const keyOf: Record<string, (i: Item) => string> = {
          cancellations: (i) => String(i.tradeId),
          meritOrders: (i) => `${i.constraintId} v${i.version}`,
          statements: (i) => `${i.participantId} ${i.month} v${i.version}`,
          curtailmentIndex: (i) => `${i.entryId} ${i.financialYear}`,
          thirdPartyImpacts: (i) => `${i.constraintId} ${i.sp} ${i.entryId}`,
          rejected: (i) => `${i.input} ${i.runAt ?? i.receivedAt} ${i.code}`,
        };
        const id = keyOf[key];
        expect(id, `a key for ${key}`).toBeDefined();
        expect(got!.map(id!).sort(), `${key}: the same items`).toEqual(items.map(id!).sort());
        for (const want of items)
          expect(
            got!.find((g) => id!(g) === id!(want)),
            `${key} ${id!(want)}`,
          ).toMatchObject(want);
      }
    }
  }
}
