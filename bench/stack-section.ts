/**
 * Runs one section that needs a local stack (`cycle`, `api`, `webhooks` or `settlement`) in a
 * process of its own, because the handlers keep their SDK clients for the life of a process (one
 * stack per process). Called by
 * bench/run.ts with the section and its parameters as JSON; prints the result as JSON on stdout.
 */
import { benchApi } from "./api";
import { benchCycle, type CycleScale } from "./cycle";
import { benchSettlement, type SettlementScale } from "./settlement";
import { benchWebhooks, type WebhookLoad } from "./webhooks";

const [section, json] = process.argv.slice(2);
/** Progress on stderr, with the time of day (the quick run's lanes interleave). */
const log = (message: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 21)}] ${message}\n`);
const params = JSON.parse(json ?? "{}") as Record<string, unknown>;
const result =
  section === "cycle"
    ? await benchCycle(params as unknown as CycleScale, log)
    : section === "api"
      ? await benchApi(Number(params.rate), Number(params.seconds), log)
      : section === "webhooks"
        ? await benchWebhooks(params as unknown as WebhookLoad, log)
        : section === "settlement"
          ? await benchSettlement(params as unknown as SettlementScale, log)
          : undefined;
if (result === undefined) throw new Error(`unknown section ${section}`);
process.stdout.write(`${JSON.stringify(result)}\n`);
