import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../lib/repo-root";

/** The worked example of the rulebook (`examples/worked-example.json`). */
export const WORKED_EXAMPLE_PATH = join(REPO_ROOT, "examples", "worked-example.json");

export function workedExample() {
  return JSON.parse(readFileSync(WORKED_EXAMPLE_PATH, "utf8"));
}

/**
 * The expected block with `<trade b1 x o1>` placeholders replaced by real trade ids, given how
 * the scenario's order ids map to the trades' order ids.
 */
export function expectedWithTradeIds(
  expected: unknown,
  trades: { tradeId: string; buyOrderId: string; sellOrderId: string }[],
  orderIds: Record<string, string> = {},
) {
  const idOf = (bid: string, offer: string) =>
    trades.find(
      (t) =>
        t.buyOrderId === (orderIds[bid] ?? bid) && t.sellOrderId === (orderIds[offer] ?? offer),
    )?.tradeId;
  return JSON.parse(
    JSON.stringify(expected).replace(
      /<trade (\w+) x (\w+)>/g,
      (_, b, o) => idOf(b, o) ?? "missing",
    ),
  );
}
