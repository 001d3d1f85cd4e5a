import type { SchemeSettings } from "../core/config/market-config";
import type { SchemeConfigSource } from "../core/ports";

/**
 * The scheme-configuration port while no scheme can store its configuration yet: every scheme
 * has set nothing, so every use case runs under the defaults of `core/config`. Storing versioned
 * configurations per scheme replaces this adapter, not the use cases that read through the port.
 */
export const noSchemeSettings: SchemeConfigSource = {
  settingsFor: async (): Promise<SchemeSettings | undefined> => undefined,
};
