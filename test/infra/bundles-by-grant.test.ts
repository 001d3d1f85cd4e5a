import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { CONSUMERS } from "../../functions/events/consumers";
import { AUTHORIZER, ROUTES } from "../../functions/http/routes";
import type { Grants } from "../../functions/wiring";
import { WORKFLOWS } from "../../functions/workflow/workflows";
import {
  bundleAliases,
  bundleGroups,
  esbuildOptions,
  GRANT_SDK_PACKAGES,
  LAMBDA_ALIASES,
} from "../../lib/bundling";
import { REPO_ROOT } from "../../lib/repo-root";
import { ungrantedClass, ungrantedFunction } from "../../lib/ungranted/ungranted";

/**
 * D-127: every function is bundled as the stack bundles it, with the SDK clients of the grants it
 * lacks replaced by their stand-ins. Each bundle builds (a stand-in missing a name the code
 * imports is a build error), holds the client of every grant it has and none of the others.
 */
const functions: { fn: string; entry: string; grants: Grants }[] = [
  ...ROUTES.map((r) => ({ fn: r.id, entry: r.entry, grants: r.grants })),
  { fn: AUTHORIZER.id, entry: AUTHORIZER.entry, grants: AUTHORIZER.grants },
  ...WORKFLOWS.flatMap((w) =>
    w.tasks.map((t) => ({ fn: t.state, entry: t.entry, grants: t.grants })),
  ),
  ...CONSUMERS.map((c) => ({ fn: c.id, entry: c.entry, grants: c.grants })),
];

describe("bundles leave out the SDK clients of grants a function lacks (D-127)", () => {
  it("builds every function, each with the clients of its grants only", async () => {
    const seen = new Map<string, Set<string>>();
    for (const group of bundleGroups(functions)) {
      const result = await build({
        ...esbuildOptions(group.aliases),
        entryPoints: Object.fromEntries(group.functions.map(({ fn, entry }) => [fn, entry])),
        outdir: "/nonexistent-bundles",
        write: false,
        metafile: true,
      });
      expect(result.errors).toEqual([]);
      for (const [file, output] of Object.entries(result.metafile.outputs)) {
        const fn = file.replace(/^.*\//, "").replace(/\.js$/, "");
        seen.set(fn, new Set(Object.keys(output.inputs)));
      }
    }
    const wrong: string[] = [];
    for (const f of functions) {
      const inputs = [...seen.get(f.fn)!];
      for (const [kind, packages] of Object.entries(GRANT_SDK_PACKAGES)) {
        const granted = f.grants[kind as keyof typeof GRANT_SDK_PACKAGES] !== undefined;
        for (const name of packages) {
          const bundled = inputs.some((i) => i.includes(`node_modules/${name}/`));
          const standIn = inputs.some((i) =>
            i.endsWith(`lib/ungranted/${name.replace("@aws-sdk/", "")}.ts`),
          );
          if (granted && standIn) wrong.push(`${f.fn}: ${name} replaced despite its ${kind} grant`);
          if (!granted && bundled) wrong.push(`${f.fn}: ${name} bundled without a ${kind} grant`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // D-129: no bundle has the default credential chain past the environment's credentials.
    const chain = functions.flatMap((f) =>
      [...seen.get(f.fn)!]
        .filter((i) =>
          /node_modules\/@aws-sdk\/(credential-provider-node|nested-clients)\//.test(i),
        )
        .map((i) => `${f.fn}: ${i}`),
    );
    expect(chain).toEqual([]);
    expect(Object.keys(LAMBDA_ALIASES)).toEqual(["@aws-sdk/credential-provider-node"]);
    // The bundles are smaller where a client is left out: a table-only route has no S3 client.
    const list = functions.find((f) => f.fn === "ListParticipants")!;
    expect([...seen.get(list.fn)!].some((i) => i.includes("@aws-sdk/client-dynamodb/"))).toBe(true);
    expect([...seen.get(list.fn)!].some((i) => i.includes("@aws-sdk/client-s3/"))).toBe(false);
    // D-299: each handler composes the ports it uses, so its bundle holds those adapters only,
    // and the root of every port (runtime/deps.ts) is in no bundle.
    expect(functions.filter((f) => seen.get(f.fn)!.has("functions/runtime/deps.ts"))).toEqual([]);
    const adaptersOf = (fn: string) =>
      [...seen.get(fn)!]
        .filter((i) => i.startsWith("functions/adapters/"))
        .map((i) => i.replace("functions/adapters/", ""));
    expect(adaptersOf("GetMe")).toContain("participant-repository.ts");
    for (const other of [
      "webhook-transport.ts",
      "webhook-delivery-repository.ts",
      "settlement-repository.ts",
      "upload-bucket.ts",
      "cycle-repository.ts",
    ])
      expect(adaptersOf("GetMe")).not.toContain(other);
    // The webhook sender's packages (address checks, signing) only where a sender is composed.
    const sender = (fn: string) =>
      [...seen.get(fn)!].some((i) => i.includes("node_modules/ipaddr.js/"));
    expect(sender("GetMe")).toBe(false);
    expect(sender("WebhookDispatcher")).toBe(true);
    expect(adaptersOf("WebhookDispatcher")).toContain("webhook-transport.ts");
  }, 180_000);

  it("a bundle's SDK client takes the environment's credentials, as Lambda gives them, and nothing else (D-129)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bitrader-credentials-"));
    try {
      await build({
        ...esbuildOptions(bundleAliases({})),
        entryPoints: [join(REPO_ROOT, "test/fixtures/bundles/credentials-probe.ts")],
        outfile: join(dir, "probe.mjs"),
      });
      // A shared credentials file the whole chain would read: the bundle must not.
      mkdirSync(join(dir, "home", ".aws"), { recursive: true });
      writeFileSync(
        join(dir, "home", ".aws", "credentials"),
        "[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = file-secret\n",
      );
      const probe = (extra: Record<string, string>) =>
        JSON.parse(
          execFileSync(process.execPath, [join(dir, "probe.mjs")], {
            encoding: "utf8",
            env: { PATH: process.env.PATH ?? "", HOME: join(dir, "home"), ...extra },
          }),
        ) as { accessKeyId?: string; error?: string };
      expect(
        probe({
          AWS_ACCESS_KEY_ID: "AKIDFROMROLE",
          AWS_SECRET_ACCESS_KEY: "role-secret",
          AWS_SESSION_TOKEN: "role-session",
        }),
      ).toEqual({ accessKeyId: "AKIDFROMROLE" });
      expect(probe({})).toEqual({ error: "CredentialsProviderError" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("a stand-in fails at once, naming the grant that is missing", () => {
    const Client = ungrantedClass("S3Client", "bucket");
    expect(() => new Client()).toThrow(
      "S3Client is not in this function's bundle: it has no bucket grant",
    );
    expect(ungrantedFunction("getSignedUrl", "bucket")).toThrow(/no bucket grant/);
  });
});
