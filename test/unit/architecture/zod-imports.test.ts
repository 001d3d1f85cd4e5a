import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const FUNCTIONS = join(ROOT, "functions");

/**
 * The value imports of zod's `z` binding in one source text (`import { z } from "zod"`,
 * `import z from "zod"`). That binding is zod's whole namespace as one object, so a bundler keeps
 * every export behind it, every locale included (about 450 KB minified in each Lambda bundle);
 * `import * as z from "zod"` reads the same API and lets esbuild keep only what is used (D-124).
 * Type-only imports are erased and do not count.
 */
function namespaceValueImports(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (!ts.isStringLiteral(specifier) || specifier.text !== "zod") continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const line = source.getLineAndCharacterOfPosition(statement.getStart()).line + 1;
    if (clause.name) found.push(`${fileName}:${line} imports zod's default export`);
    const named = clause.namedBindings;
    if (named && ts.isNamedImports(named))
      for (const element of named.elements)
        if (!element.isTypeOnly && (element.propertyName ?? element.name).text === "z")
          found.push(`${fileName}:${line} imports { z } from zod`);
  }
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("zod imports in bundled code", () => {
  it("finds the namespace-object imports and passes the tree-shakable ones", () => {
    expect(namespaceValueImports("a.ts", 'import { z } from "zod";')).toEqual([
      "a.ts:1 imports { z } from zod",
    ]);
    expect(namespaceValueImports("a.ts", 'import { z as zod } from "zod";')).toHaveLength(1);
    expect(namespaceValueImports("a.ts", 'import z from "zod";')).toHaveLength(1);
    expect(namespaceValueImports("a.ts", 'import * as z from "zod";')).toEqual([]);
    expect(namespaceValueImports("a.ts", 'import type { z } from "zod";')).toEqual([]);
    expect(namespaceValueImports("a.ts", 'import { type z } from "zod";')).toEqual([]);
    expect(namespaceValueImports("a.ts", 'import { z } from "zod-openapi";')).toEqual([]);
  });

  it("no file under functions/ imports zod's `z` object (every Lambda bundle would keep all of zod)", () => {
    const found = sources(FUNCTIONS).flatMap((file) =>
      namespaceValueImports(relative(ROOT, file), readFileSync(file, "utf8")),
    );
    expect(found).toEqual([]);
  });
});
