import * as z from "zod";
import { TopologyChangeBodySchema } from "../../core/verification/topology-change";
import {
  MarketVetoBodySchema,
  MarketVetoResultSchema,
  TopologyChangeListSchema,
  TopologyChangeResultSchema,
  TopologyChangesQuerySchema,
} from "../schemas/verification";
import type { RouteContract } from "./operations";

const idempotencyKey = z.object({
  "idempotency-key": z.string().max(255).optional().meta({
    description:
      "Optional. The same key (per caller) with the same body replays the first response; with another body 422 IDEMPOTENCY_KEY_REUSED. The change's own id is its idempotency key too (R-VERIFY-2).",
  }),
});

/** Variant D of the worked example: G5 moves onto a new circuit behind C2 at 12:40. */
const TOPOLOGY_CHANGE_EXAMPLE = {
  topologyChangeId: "TC-ENWL-ANM-01-2027-06-14-001",
  anmSchemeId: "ENWL-ANM-01",
  deliveryDate: "2027-06-14",
  effectiveFrom: "2027-06-14T12:40:00+01:00",
  constraints: [
    {
      constraintId: "C1",
      entries: [
        { entryId: "G4-A", resourceId: "G4", capacityMw: 5, curtailmentOrder: 1 },
        { entryId: "G3-B", resourceId: "G3", capacityMw: 2, curtailmentOrder: 2 },
        { entryId: "G3-A", resourceId: "G3", capacityMw: 4, curtailmentOrder: 3 },
        { entryId: "G2-A", resourceId: "G2", capacityMw: 8, curtailmentOrder: 4 },
        { entryId: "G1-A", resourceId: "G1", capacityMw: 10, curtailmentOrder: 5 },
      ],
    },
    {
      constraintId: "C2",
      name: "11kV feeder export (new circuit)",
      entries: [{ entryId: "G5-A", resourceId: "G5", capacityMw: 3, curtailmentOrder: 1 }],
    },
  ],
};

const ok = (description: string, schema: z.ZodType, status = "200") => ({
  [status]: { description, content: { "application/json": { schema } } },
});

/** The documented contract of the day-of verification routes (R-VERIFY). */
export const VERIFICATION_OPERATIONS = {
  PostTopologyChange: {
    summary:
      "Report a topology change on the day: trades re-verified, MOLs re-published (R-VERIFY-1..7)",
    tags: ["ANM interface"],
    requestParams: { header: idempotencyKey },
    requestBody: {
      required: true,
      content: {
        "application/json": { schema: TopologyChangeBodySchema, example: TOPOLOGY_CHANGE_EXAMPLE },
      },
    },
    responses: {
      ...ok("Received and processed: the change's result.", TopologyChangeResultSchema, "201"),
      ...ok("A replay of the same id and body: the first result.", TopologyChangeResultSchema),
    },
    // NOT_FOUND: an ANM key bound to another scheme (D-195), exactly as for an unknown scheme.
    errors: [
      "TOPOLOGY_CHANGE_INVALID",
      "TOPOLOGY_CHANGE_CONFLICT",
      "MERIT_ORDER_NOT_PUBLISHED",
      "NOT_FOUND",
    ],
  },
  PostMarketVeto: {
    summary: "Veto a matched market before the scheme's deadline: its trades void (R-VERIFY-8)",
    tags: ["ANM interface"],
    requestParams: { header: idempotencyKey },
    requestBody: {
      required: true,
      content: {
        "application/json": {
          schema: MarketVetoBodySchema,
          example: { marketId: "mkt-3b943daf3a4f737a8c63", reason: "planned outage" },
        },
      },
    },
    responses: {
      ...ok("Vetoed: the trades voided and the versions published.", MarketVetoResultSchema, "201"),
      ...ok("A repeat: the first result.", MarketVetoResultSchema),
    },
    // NOT_FOUND: no such market, or one of a scheme the ANM key is not bound to (D-195).
    errors: ["VETO_DEADLINE_PASSED", "MARKET_NOT_VETOABLE", "NOT_FOUND"],
  },
  ListTopologyChanges: {
    summary: "A scheme-day's topology changes with their processing state and result",
    tags: ["ANM interface"],
    requestParams: { query: TopologyChangesQuerySchema },
    responses: ok(
      "The changes by receive time, then id; a failed one stays visible until it applies.",
      TopologyChangeListSchema,
    ),
    errors: ["NOT_FOUND"],
  },
} satisfies Record<string, RouteContract>;
