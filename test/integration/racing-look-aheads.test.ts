import { ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { waitFor } from "../../lib/client/api-client";
import { useLocalStack } from "../support/use-local-stack";
import { workedExample } from "../support/worked-example";

/**
 * R-IN-3 under racing look-aheads (D-130, D-131, D-132): 20 look-aheads with distinct ids for one
 * scheme and day sent at once, in 50 rounds. In each round exactly one cycle is not superseded
 * (every other names its successor), exactly one execution is not aborted, no cycle fails, and
 * after gate closure the ANM's merit order is the current cycle's, published, not a fallback.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();
const scenario = workedExample();
const ROUNDS = 50;
const RACERS = 20;
/** Every round's gate closure is this far after its posts start (the last round's included). */
const GATE_AHEAD_MS = 90_000;

interface CycleView {
  cycleId: string;
  anmSchemeId: string;
  status: string;
  supersededBy?: string;
  executionArn?: string;
}

async function allCycles(deliveryDate: string): Promise<CycleView[]> {
  const cycles: CycleView[] = [];
  let nextToken: string | undefined;
  do {
    const query = new URLSearchParams({ deliveryDate, ...(nextToken ? { nextToken } : {}) });
    const page = await local.api.expect(200, "GET", `/cycles?${query}`, {
      key: local.stack.keys.operator,
    });
    cycles.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return cycles;
}

async function allExecutions(): Promise<{ name: string; status: string }[]> {
  const sfn = new SFNClient({
    region: "eu-west-2",
    endpoint: local.stack.sfnEndpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const out: { name: string; status: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: local.stack.stateMachineArn,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    out.push(...(page.executions ?? []).map((e) => ({ name: e.name!, status: e.status! })));
    nextToken = page.nextToken;
  } while (nextToken);
  sfn.destroy();
  return out;
}

describe("R-IN-3: racing look-aheads for one scheme and day", () => {
  it(`${RACERS} at once, ${ROUNDS} rounds: one cycle and one execution stand, the MOL is theirs`, async () => {
    const deliveryDate = scenario.lookAhead.deliveryDate;
    const schemes: { scheme: string; gateClosureMs: number }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const scheme = `RACE-${process.pid}-${round}`;
      const gateClosureMs = Date.now() + GATE_AHEAD_MS;
      schemes.push({ scheme, gateClosureMs });
      const answers = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          local.api.request("POST", "/anm/look-aheads", {
            key: local.stack.keys.anm,
            body: {
              ...structuredClone(scenario.lookAhead),
              anmSchemeId: scheme,
              lookAheadId: `LA-${round}-${i}`,
              gateClosureAt: new Date(gateClosureMs).toISOString(),
            },
          }),
        ),
      );
      // Every racer is accepted: each was current for a moment, before the next replaced it.
      expect(answers.map((a) => a.status)).toEqual(Array(RACERS).fill(202));
    }

    const lastGate = Math.max(...schemes.map((s) => s.gateClosureMs));
    await new Promise((wake) => setTimeout(wake, Math.max(0, lastGate - Date.now())));
    const settled = await waitFor(
      () => allCycles(deliveryDate),
      (cycles) =>
        schemes.every(({ scheme }) =>
          cycles.some((c) => c.anmSchemeId === scheme && c.status === "published"),
        ),
      300_000,
      2_000,
    );
    const executions = new Map((await allExecutions()).map((e) => [e.name, e.status]));
    for (const { scheme } of schemes) {
      const cycles = settled.filter((c) => c.anmSchemeId === scheme);
      expect(cycles).toHaveLength(RACERS);
      const standing = cycles.filter((c) => c.status !== "superseded");
      expect(standing.map((c) => c.status)).toEqual(["published"]);
      expect(cycles.filter((c) => c.status === "failed")).toEqual([]);
      const ids = new Set(cycles.map((c) => c.cycleId));
      for (const c of cycles)
        if (c.status === "superseded") expect(ids.has(c.supersededBy!), c.cycleId).toBe(true);
      // A cycle that was current for a moment started one execution (attempt 1), one received
      // before the current one none (D-130); of those executions only the standing one was not
      // aborted.
      const statuses = cycles.flatMap((c) => executions.get(`${c.cycleId}-1`) ?? []);
      expect(statuses.filter((s) => s !== "ABORTED")).toEqual(["SUCCEEDED"]);
      expect(executions.get(`${standing[0]!.cycleId}-1`)).toBe("SUCCEEDED");

      const query = new URLSearchParams({ anmSchemeId: scheme, deliveryDate, constraintId: "C1" });
      const mol = await local.api.expect(200, "GET", `/anm/merit-order?${query}`, {
        key: local.stack.keys.anm,
      });
      expect([mol.status, mol.fallback]).toEqual(["published", false]);
    }
  }, 1_500_000);
});
