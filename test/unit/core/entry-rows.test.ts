import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EntryRows, entryIdHash } from "../../../functions/core/merit-order/entry-rows";
import { propertyParams } from "../../support/property";

// Ids from a small alphabet (so that repeats and near-misses are common), any string now and then.
const idArb = fc.oneof(
  fc.string({ unit: fc.constantFrom("a", "b", "E", "-", "/", "é", "😀"), maxLength: 6 }),
  fc.string(),
);

describe("EntryRows (D-121): a MOL's rows by entry id, as a Map would give them", () => {
  it("finds every id at the row a Map keyed by id finds (a repeated id at its last row), -1 if absent", () => {
    fc.assert(
      fc.property(
        fc.array(idArb, { maxLength: 300 }),
        fc.array(idArb, { maxLength: 50 }),
        (ids, others) => {
          const rows = new EntryRows(ids);
          const map = new Map(ids.map((id, row) => [id, row]));
          for (const id of [...ids, ...others]) expect(rows.rowOf(id)).toBe(map.get(id) ?? -1);
        },
      ),
      propertyParams("EntryRows equals Map"),
    );
  });

  it("holds 100,000 ids that differ only in their last characters", () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `E${i}-A`);
    const rows = new EntryRows(ids);
    expect(ids.every((id, row) => rows.rowOf(id) === row)).toBe(true);
    expect(rows.rowOf("E100000-A")).toBe(-1);
    expect(rows.rowOf("")).toBe(-1);
  });

  it("answers the same for ids made to collide (the table gives way to a Map)", () => {
    // 300 ids whose hashes share their low 10 bits: one cluster in a table of 1,024 slots.
    const ids: string[] = [];
    for (let i = 0; ids.length < 300; i += 1)
      if ((entryIdHash(`G${i}`) & 1023) === 5) ids.push(`G${i}`);
    const rows = new EntryRows([...ids, ids[0]!]);
    expect(ids.map((id) => rows.rowOf(id))).toEqual(ids.map((_, row) => (row === 0 ? 300 : row)));
    expect(rows.rowOf("G-1")).toBe(-1);
  });
});
