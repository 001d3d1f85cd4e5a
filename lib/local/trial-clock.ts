import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseInstant } from "../../functions/core/model/settlement-periods";

/**
 * The local trial clock (docs/api.md "The local trial clock", D-199): `npm start -- --clock
 * <instant>` starts the platform's clock at that instant and lets it run at real speed, a
 * constant offset from the real time kept in the stack file (`<data dir>/stack.json`). Forward
 * only: the stored data has seen every instant up to (real now + the offset it last ran under),
 * so an earlier `--clock` is refused. Without `--clock`, a data directory keeps the offset it
 * last ran under (a rehearsal goes on across restarts); new or in-memory data runs on the real
 * clock. The cloud build has no such option: its clock is the system clock.
 */
export interface ClockChoice {
  readonly offsetMs: number;
  /** One line for the start-up banner. */
  readonly description: string;
}

/** What the previous start left in the stack file, as far as the clock goes. */
export interface PreviousStack {
  readonly clock?: { readonly offsetMs?: unknown };
}

/** The stack file of a data directory, if there is a readable one. */
export function readStackFile(path: string): PreviousStack | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as PreviousStack;
  } catch {
    return undefined;
  }
}

/** True when the data directory holds stored DynamoDB data. */
function hasStoredData(dataDir: string): boolean {
  const dynamo = join(dataDir, "dynamodb");
  return existsSync(dynamo) && readdirSync(dynamo).length > 0;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function chooseClock(input: {
  requested: string | undefined;
  inMemory: boolean;
  dataDir: string;
  previous: PreviousStack | undefined;
  realNowMs: number;
}): ClockChoice | { refused: string } {
  const stored = !input.inMemory && hasStoredData(input.dataDir);
  const previousOffset = Number(input.previous?.clock?.offsetMs ?? 0);
  const keptOffset = stored && Number.isSafeInteger(previousOffset) ? previousOffset : 0;
  if (input.requested === undefined)
    return {
      offsetMs: keptOffset,
      description:
        keptOffset === 0 ? "real time" : "trial clock kept from the last start: real time + offset",
    };
  const at = parseInstant(input.requested);
  if (at === undefined)
    return {
      refused: `--clock must be an ISO 8601 instant with an offset, e.g. 2027-06-13T09:00:00+01:00; got ${input.requested}`,
    };
  if (stored) {
    const seen = input.realNowMs + keptOffset;
    if (at < seen)
      return {
        refused: `--clock ${input.requested} is earlier than the stored data has seen (${iso(seen)}): the trial clock only moves forward. Use a later instant, or another data directory (BITRADER_DATA_DIR) or --in-memory to start over.`,
      };
  }
  return { offsetMs: at - input.realNowMs, description: `trial clock from ${iso(at)}` };
}
