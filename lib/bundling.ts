import { join } from "node:path";
import type { GrantKind, Grants } from "../functions/wiring";
import { REPO_ROOT } from "./repo-root";

/**
 * How every function is bundled (D-127): the stack (`MarketFunction`) and the bench's `bundles`
 * section build with these options, so the bench measures what is deployed.
 */
export const BUNDLE = {
  format: "esm",
  target: "node22",
  minify: true,
  mainFields: ["module", "main"],
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
} as const;

/**
 * The AWS SDK packages that only a function with a grant of the kind can use. A function
 * without the grant is bundled with a stand-in (`lib/ungranted/`) instead of the package: the
 * client is not in its bundle, so it is neither loaded nor parsed on a cold start.
 */
export const GRANT_SDK_PACKAGES = {
  bucket: ["@aws-sdk/client-s3", "@aws-sdk/s3-request-presigner"],
  workflow: ["@aws-sdk/client-sfn"],
  key: ["@aws-sdk/client-kms"],
  topic: ["@aws-sdk/client-sns"],
} as const satisfies Partial<Record<GrantKind, readonly string[]>>;

/**
 * Packages every Lambda bundle takes a smaller module for, whatever its grants (D-129): the
 * default credential chain becomes the environment's credentials, which is what it resolves to
 * in Lambda.
 */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  "@aws-sdk/credential-provider-node": join(
    REPO_ROOT,
    "functions",
    "runtime",
    "credential-provider-node.ts",
  ),
};

/** Every alias of a function's bundle: {@link LAMBDA_ALIASES} and its grants' stand-ins. */
export function bundleAliases(grants: Grants): Record<string, string> {
  return { ...LAMBDA_ALIASES, ...ungrantedAliases(grants) };
}

/** Package → stand-in module, for every SDK package the grants do not bring. */
export function ungrantedAliases(grants: Grants): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [kind, packages] of Object.entries(GRANT_SDK_PACKAGES) as [
    keyof typeof GRANT_SDK_PACKAGES,
    readonly string[],
  ][]) {
    if (grants[kind] !== undefined && Object.keys(grants[kind]).length > 0) continue;
    for (const name of packages)
      out[name] = join(REPO_ROOT, "lib", "ungranted", `${name.replace("@aws-sdk/", "")}.ts`);
  }
  return out;
}

/**
 * Functions grouped by the stand-ins their bundles take, so that one esbuild run builds each
 * group (the bench and the bundles test build every function the way the stack does).
 */
export function bundleGroups<T extends { readonly grants: Grants }>(
  functions: ReadonlyArray<T>,
): { aliases: Record<string, string>; functions: T[] }[] {
  const groups = new Map<string, { aliases: Record<string, string>; functions: T[] }>();
  for (const f of functions) {
    const aliases = bundleAliases(f.grants);
    const key = JSON.stringify(aliases);
    const group = groups.get(key) ?? { aliases, functions: [] };
    group.functions.push(f);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The esbuild options of {@link BUNDLE} with a group's stand-ins, for esbuild's own API. */
export function esbuildOptions(aliases: Record<string, string>) {
  return {
    bundle: true,
    platform: "node" as const,
    format: BUNDLE.format,
    target: BUNDLE.target,
    minify: BUNDLE.minify,
    mainFields: [...BUNDLE.mainFields] as string[],
    alias: aliases,
    banner: { js: BUNDLE.banner },
    logLevel: "silent" as const,
  };
}
