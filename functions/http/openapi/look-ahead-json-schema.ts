import * as z from "zod";
import { LookAheadSchema } from "../../core/model/look-ahead";

/**
 * The JSON Schema (draft 2020-12) of a look-ahead body (`POST /anm/look-aheads`), for ANM
 * integrators who validate their files before sending them. It states the shape (fields, types,
 * bounds, decimals); the rules that need the whole body (R-IN-1: array lengths per delivery day,
 * duplicates, gaps, gate closure) are checked by the API and by `npm run simulate -- --look-ahead`.
 */
export function lookAheadJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(LookAheadSchema, {
    io: "input",
    unrepresentable: "any",
  });
  return {
    $schema,
    $id: "https://bitrader.example/schemas/look-ahead.schema.json",
    title: "BiTraDER look-ahead",
    description:
      "Tomorrow's constraint look-ahead and Merit Order Lists for one ANM scheme and delivery day (POST /anm/look-aheads). Power in MW with at most 3 decimals; per-SP arrays have one value per settlement period of the Europe/London delivery day (48, or 46/50 on clock-change days). The rules are R-IN-1..3 of docs/market-rules.md.",
    ...schema,
  };
}
