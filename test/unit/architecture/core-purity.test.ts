import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const CORE = join(ROOT, "functions/core");

const FORBIDDEN_MODULES = [
  /^@aws-sdk\//,
  /^@middy\//,
  /^(node:)?fs(\/|$)/,
  /^(node:)?https?(\/|$)/,
];

/**
 * Architecture rule 1: the core is pure. Lists every import of an I/O or AWS module and every
 * read of the clock or of randomness (`Date.now()`, `Math.random()`, `new Date()` without
 * arguments) in one source text.
 */
function impurities(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node) =>
    `${fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const checkModule = (node: ts.Node, specifier: ts.Expression | undefined) => {
    if (
      specifier &&
      ts.isStringLiteralLike(specifier) &&
      FORBIDDEN_MODULES.some((re) => re.test(specifier.text))
    )
      found.push(`${at(node)} imports ${specifier.text}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node))
      checkModule(node, node.moduleSpecifier);
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === "require")
      )
        checkModule(node, node.arguments[0]);
      if (ts.isPropertyAccessExpression(callee)) {
        const name = `${callee.expression.getText(source)}.${callee.name.text}`;
        if (name === "Date.now" || name === "Math.random")
          found.push(`${at(node)} calls ${name}()`);
      }
    }
    if (
      ts.isNewExpression(node) &&
      node.expression.getText(source) === "Date" &&
      (node.arguments?.length ?? 0) === 0
    )
      found.push(`${at(node)} calls new Date()`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sourceFiles(join(dir, d.name))
      : d.name.endsWith(".ts")
        ? [join(dir, d.name)]
        : [],
  );
}

describe("the market core is pure (architecture rule 1)", () => {
  it("imports no AWS SDK, middy, fs or http module and reads no clock or randomness", () => {
    const files = sourceFiles(CORE);
    expect(files.length).toBeGreaterThan(10);
    const all = files.flatMap((f) => impurities(relative(ROOT, f), readFileSync(f, "utf8")));
    expect(all).toEqual([]);
  });

  it.each([
    "allocation",
    "config",
    "curtailment-index",
    "events",
    "merit-order",
    "model",
    "performance",
    "settlement",
    "use-cases",
    "verification",
  ])("scans every file of functions/core/%s", (folder) => {
    const scanned = sourceFiles(CORE).map((f) => relative(CORE, f));
    const inFolder = scanned.filter((f) => f.startsWith(`${folder}/`));
    expect(inFolder.length).toBeGreaterThan(0);
    expect([...inFolder].sort()).toEqual(
      readdirSync(join(CORE, folder), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => `${folder}/${f}`)
        .sort(),
    );
  });

  it.each([
    [
      'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";',
      "imports @aws-sdk/client-dynamodb",
    ],
    ['import middy from "@middy/core";', "imports @middy/core"],
    ['import { readFileSync } from "node:fs";', "imports node:fs"],
    ['import { readFile } from "fs/promises";', "imports fs/promises"],
    ['import { createServer } from "node:http";', "imports node:http"],
    ['export * from "node:https";', "imports node:https"],
    ['const fs = await import("node:fs");', "imports node:fs"],
    ["const t = Date.now();", "calls Date.now()"],
    ["const r = Math.random();", "calls Math.random()"],
    ["const d = new Date();", "calls new Date()"],
  ])("would catch `%s`", (code, message) => {
    expect(impurities("x.ts", code)).toEqual([`x.ts:1 ${message}`]);
  });

  it("allows pure uses: new Date(ms), node:crypto hashing, zod and luxon", () => {
    const code =
      'import { createHash } from "node:crypto";\nimport { z } from "zod";\nimport { DateTime } from "luxon";\nconst d = new Date(0);';
    expect(impurities("x.ts", code)).toEqual([]);
  });
});
