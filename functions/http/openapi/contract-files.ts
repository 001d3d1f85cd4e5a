import { buildOpenApiDocument } from "./document";
import { lookAheadJsonSchema } from "./look-ahead-json-schema";

/**
 * The contract files committed under `docs/` (written by `npm run openapi`), path → text:
 * the OpenAPI document as `GET /openapi.json` serves it (less the per-request `servers`) and the
 * JSON Schema of a look-ahead. A test fails when a committed file differs from these.
 */
export function contractFiles(): Record<string, string> {
  return {
    "docs/openapi.json": `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`,
    "docs/look-ahead.schema.json": `${JSON.stringify(lookAheadJsonSchema(), null, 2)}\n`,
  };
}
