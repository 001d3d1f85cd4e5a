import { registerAsset } from "../../core/access/register-asset";
import * as ports from "../../runtime/ports";
import { actorOf, callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";
import { AssetBodySchema } from "../schemas/asset-inputs";

const deps = ports.compose({ clock: ports.clock, ids: ports.ids, assets: ports.assets });

/**
 * POST /assets (participant) — a pending asset of the caller. Its MOL entries are claimed in the
 * ANM scheme at once: an entry held by another asset that is not rejected is 409
 * ENTRY_ALREADY_CLAIMED (errors[] names each such `molEntryIds.<i>`), and nothing is stored.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const registration = parseBody(event, AssetBodySchema);
    const { principalId } = callerOf(event);
    return json(201, await registerAsset(deps, principalId, registration, actorOf(event)));
  }),
);
