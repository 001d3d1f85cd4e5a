import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../../functions/http/openapi/document";

/**
 * What a client coding against the document can rely on: every field says what it is (with its
 * unit), instants are `date-time`, days `date`, `limit` an integer, every request body has an
 * example, and the price maximum is the default price cap.
 */
type Schema = Record<string, any>;
const document = buildOpenApiDocument() as unknown as {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, Schema> };
};
const schemas = document.components.schemas;
const resolve = (s: Schema | undefined): Schema | undefined =>
  s?.$ref ? schemas[String(s.$ref).replace("#/components/schemas/", "")] : s;

/** Every (path, property schema) below a schema, through arrays, unions and refs (once each). */
function properties(root: Schema, where: string, seen = new Set<Schema>()): [string, Schema][] {
  const s = resolve(root);
  if (s === undefined || seen.has(s)) return [];
  seen.add(s);
  const found: [string, Schema][] = [];
  for (const [name, value] of Object.entries<Schema>(s.properties ?? {})) {
    found.push([`${where}.${name}`, value]);
    found.push(...properties(value, `${where}.${name}`, seen));
  }
  for (const key of ["items", "additionalProperties"])
    if (typeof s[key] === "object") found.push(...properties(s[key], `${where}[]`, seen));
  for (const key of ["anyOf", "oneOf", "allOf"])
    for (const [i, part] of (s[key] ?? []).entries())
      found.push(...properties(part, `${where}|${i}`, seen));
  return found;
}

const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const),
);
const everyProperty = [
  ...Object.entries(schemas).flatMap(([name, s]) => properties(s, name)),
  ...operations.flatMap(([name, op]) => {
    const body = op.requestBody?.content?.["application/json"]?.schema;
    return body ? properties(body, `${name} body`) : [];
  }),
];
const describedBy = (s: Schema) => s.description ?? resolve(s)?.description;

describe("the OpenAPI document, as a client codes against it", () => {
  it("describes every field", () => {
    const bare = everyProperty.filter(([, s]) => !describedBy(s)).map(([where]) => where);
    expect([...new Set(bare)]).toEqual([]);
  });

  it("gives instants format date-time and delivery days format date", () => {
    const wrong: string[] = [];
    for (const [where, s] of everyProperty) {
      const name = where.split(".").at(-1) ?? "";
      const target = resolve(s) ?? s;
      if (target.type !== "string") continue;
      // A version's effectiveFrom is a delivery day (D-190), not an instant.
      // A topology change's effectiveFrom is the instant the network changed (R-VERIFY-2).
      const isDay =
        /Date$/.test(name) ||
        (name === "effectiveFrom" && !/topology-changes|TopologyChange/.test(where));
      if (
        !isDay &&
        /(At|Start|End|From|To)$|^(start|end|at)$/.test(name) &&
        target.format !== "date-time"
      )
        wrong.push(`${where}: ${target.format ?? "no format"} (date-time expected)`);
      if (isDay && target.format !== "date")
        wrong.push(`${where}: ${target.format ?? "no format"} (date expected)`);
    }
    expect([...new Set(wrong)]).toEqual([]);
  });

  it("names the unit of every MW and price field", () => {
    const unitless: string[] = [];
    for (const [where, s] of everyProperty) {
      const name = where.split(".").at(-1) ?? "";
      const text = describedBy(s) ?? "";
      if (/Mw$/.test(name) && !/\bMW\b/.test(text)) unitless.push(`${where}: no MW`);
      if (name === "availabilityPrice" && !text.includes("£/MW/h"))
        unitless.push(`${where}: no £/MW/h`);
      if (name === "utilisationPrice" && !text.includes("£/MWh"))
        unitless.push(`${where}: no £/MWh`);
    }
    expect([...new Set(unitless)]).toEqual([]);
  });

  it("has an example for every request body", () => {
    const without = operations
      .filter(([, op]) => op.requestBody !== undefined)
      .filter(([, op]) => {
        // A CSV-only body (POST /assets:bulk) has its example under text/csv.
        const content =
          op.requestBody.content["application/json"] ?? op.requestBody.content["text/csv"];
        return !(content?.example ?? content?.examples ?? resolve(content?.schema)?.examples);
      })
      .map(([name]) => name);
    expect(without).toEqual([]);
  });

  it("describes every parameter, documents limit as an integer of 1–100 and days as dates", () => {
    const wrong: string[] = [];
    for (const [name, op] of operations) {
      for (const parameter of op.parameters ?? []) {
        const where = `${name} ${parameter.in} ${parameter.name}`;
        if (!parameter.description && !parameter.schema?.description)
          wrong.push(`${where}: no description`);
        if (parameter.name === "limit")
          expect(parameter.schema, where).toMatchObject({
            type: "integer",
            minimum: 1,
            maximum: 100,
          });
        if (/Date$/.test(parameter.name) && parameter.schema?.format !== "date")
          wrong.push(`${where}: not format date`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("gives prices the default price cap (£10,000) as their maximum", () => {
    const order = resolve(
      document.paths["/orders"]?.post.requestBody.content["application/json"].schema,
    ) as Schema;
    expect(order.properties.availabilityPrice.maximum).toBe(10_000);
    expect(order.properties.utilisationPrice.maximum).toBe(10_000);
  });
});
