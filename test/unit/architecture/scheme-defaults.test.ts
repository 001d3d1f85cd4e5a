import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The scheme defaults are read in one place: the use cases ask the scheme-configuration port and
 * fill the gaps with `marketConfigOf` (functions/core/config/market-config.ts, D-46). No other
 * product code names `DEFAULT_MARKET_CONFIG`.
 */
const ROOT = join(import.meta.dirname, "../../..");
const HOME = "functions/core/config/market-config.ts";

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
  );
}

describe("the scheme defaults", () => {
  it("are read only by their own module", () => {
    const readers = ["functions", "lib", "bin"]
      .flatMap(files)
      .filter((file) => file !== HOME)
      .filter((file) => /\bDEFAULT_MARKET_CONFIG\b/.test(readFileSync(join(ROOT, file), "utf8")));
    expect(readers).toEqual([]);
  });
});
