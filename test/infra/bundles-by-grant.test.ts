import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { CONSUMERS } from "../../functions/events/consumers";
import { AUTHORIZER, ROUTES } from "../../functions/http/routes";
import type { Grants } from "../../functions/wiring";
import { WORKFLOWS } from "../../functions/workflow/workflows";
import { bundleGroups, esbuildOptions, GRANT_SDK_PACKAGES } from "../../lib/bundling";
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
    // The bundles are smaller where a client is left out: a table-only route has no S3 client.
    const list = functions.find((f) => f.fn === "ListParticipants")!;
    expect([...seen.get(list.fn)!].some((i) => i.includes("@aws-sdk/client-dynamodb/"))).toBe(true);
    expect([...seen.get(list.fn)!].some((i) => i.includes("@aws-sdk/client-s3/"))).toBe(false);
  }, 180_000);

  it("a stand-in fails at once, naming the grant that is missing", () => {
    const Client = ungrantedClass("S3Client", "bucket");
    expect(() => new Client()).toThrow(
      "S3Client is not in this function's bundle: it has no bucket grant",
    );
    expect(ungrantedFunction("getSignedUrl", "bucket")).toThrow(/no bucket grant/);
  });
});
