import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { Asset, AssetRegistration } from "../../../functions/core/access/asset";
import type { AuditRecord } from "../../../functions/core/access/audit";
import type {
  Participant,
  ParticipantDecision,
  ParticipantRegistration,
} from "../../../functions/core/access/participant";
import type { Actor, Caller } from "../../../functions/core/access/roles";
import type {
  AssetBodySchema,
  AssetDecisionBodySchema,
  AssetSchema,
} from "../../../functions/http/schemas/asset";
import type { AuditRecordSchema } from "../../../functions/http/schemas/audit";
import type { ActorSchema } from "../../../functions/http/schemas/fields";
import type {
  ParticipantDecisionBodySchema,
  ParticipantSchema,
  RegistrationBodySchema,
} from "../../../functions/http/schemas/participant";
import type { WhoAmISchema } from "../../../functions/http/schemas/who-am-i";

/**
 * The wire schemas of the access routes validate exactly the records of the access core: a field
 * added to one and not the other fails the typecheck of this file (`npm test` runs `tsc` first),
 * so neither side can drop a field silently.
 */
describe("the access wire schemas are the core's records", () => {
  it("registration, participant and decision", () => {
    expectTypeOf<
      z.output<typeof RegistrationBodySchema>
    >().toEqualTypeOf<ParticipantRegistration>();
    expectTypeOf<z.output<typeof ParticipantSchema>>().toEqualTypeOf<Participant>();
    expectTypeOf<
      z.output<typeof ParticipantDecisionBodySchema>["decision"]
    >().toEqualTypeOf<ParticipantDecision>();
  });

  it("asset registration, asset and decision", () => {
    expectTypeOf<z.output<typeof AssetBodySchema>>().toEqualTypeOf<AssetRegistration>();
    expectTypeOf<z.output<typeof AssetSchema>>().toEqualTypeOf<Asset>();
    expectTypeOf<z.output<typeof AssetDecisionBodySchema>["decision"]>().toEqualTypeOf<
      "qualify" | "reject"
    >();
  });

  it("audit records, actors and the caller", () => {
    expectTypeOf<z.output<typeof AuditRecordSchema>>().toEqualTypeOf<AuditRecord>();
    expectTypeOf<z.output<typeof ActorSchema>>().toEqualTypeOf<Actor>();
    expectTypeOf<z.output<typeof WhoAmISchema>>().toEqualTypeOf<Caller>();
  });
});
