import type { SchemeRecord } from "../core/ports";

/** A scheme as the scheme routes answer it (schemas/scheme.ts `Scheme`). */
export function schemeView(scheme: SchemeRecord) {
  return {
    anmSchemeId: scheme.anmSchemeId,
    name: scheme.name,
    versions: scheme.versions.map((v) => ({
      version: v.version,
      effectiveFrom: v.effectiveFrom,
      config: v.config,
      createdAt: v.createdAt,
    })),
  };
}
