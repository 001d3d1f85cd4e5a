import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { contractFiles } from "../functions/http/openapi/contract-files";

/**
 * `npm run openapi`: writes the API contract a client can code against without starting
 * anything — `docs/openapi.json` (the OpenAPI 3.1 document `GET /openapi.json` serves, without
 * its per-request `servers`) and `docs/look-ahead.schema.json` (the JSON Schema of a
 * look-ahead, for ANM integrators). `--check` writes nothing and exits 1 if either file is stale.
 */
const USAGE = `usage: npm run openapi [-- --check]

Writes docs/openapi.json and docs/look-ahead.schema.json from the route table and the zod
schemas. With --check, writes nothing and exits 1 when a committed file differs.`;

let check = false;
try {
  const { values } = parseArgs({
    options: { check: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  check = values.check === true;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exit(2);
}

const root = fileURLToPath(new URL("..", import.meta.url));
const files = contractFiles();
let stale = 0;
for (const [file, text] of Object.entries(files)) {
  const path = resolve(root, file);
  if (check) {
    let current = "";
    try {
      current = readFileSync(path, "utf8");
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      stale += 1;
      process.stderr.write(`${file} is stale: run npm run openapi\n`);
    }
  } else {
    writeFileSync(path, text);
    process.stderr.write(`wrote ${file}\n`);
  }
}
process.exit(stale > 0 ? 1 : 0);
