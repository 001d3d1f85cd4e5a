import type { Asset } from "../access/asset";
import type { Caller } from "../access/roles";
import { NotFoundError } from "../errors";
import { unitInstructions } from "../events/publication-events";
import { type Page, type PageRequest, pageOf } from "../model/paging";
import { deliveryDay } from "../model/settlement-periods";
import type { AssetStore, CycleStore, MeritOrderStore, PublishedMeritOrder } from "../ports";

/**
 * `GET /merit-order-instructions` (R-DISPATCH-1/2 §19): per unit of the version in force (or the
 * version asked), its curtailment per SP of each segment — the content of `dispatch.instruction`,
 * which links here when too large to send. A participant reads the units of its own entries
 * (those claimed by its qualified assets) and nothing else; the ANM and the operator read all.
 */
export interface InstructionPorts {
  meritOrders: Pick<MeritOrderStore, "latest" | "version">;
  assets: Pick<AssetStore, "list">;
  cycles: Pick<CycleStore, "cyclesOfDay">;
}

export interface InstructionQuery {
  deliveryDate: string;
  constraintId: string;
  version?: number;
  anmSchemeId?: string;
}

/** A participant's own entries per scheme: claimed by its qualified assets. */
async function ownEntries(ports: InstructionPorts, participantId: string) {
  const assets: Asset[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ports.assets.list(participantId, {
      limit: 100,
      ...(nextToken ? { nextToken } : {}),
    });
    assets.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  const byScheme = new Map<string, Set<string>>();
  for (const asset of assets) {
    if (asset.status !== "qualified") continue;
    const set = byScheme.get(asset.anmSchemeId) ?? new Set<string>();
    for (const entryId of asset.molEntryIds) set.add(entryId);
    byScheme.set(asset.anmSchemeId, set);
  }
  return byScheme;
}

export async function listInstructions(
  ports: InstructionPorts,
  caller: Caller,
  query: InstructionQuery,
  page: PageRequest,
): Promise<Page<ReturnType<typeof instructionItems>[number]>> {
  const own =
    caller.role === "participant" ? await ownEntries(ports, caller.principalId) : undefined;
  // An ANM key bound to a scheme acts for that scheme only (D-195): another scheme is unknown.
  const bound = caller.role === "anm" ? caller.anmSchemeId : undefined;
  if (bound !== undefined && query.anmSchemeId !== undefined && query.anmSchemeId !== bound)
    throw new NotFoundError("The merit order");
  const schemes = bound
    ? [bound]
    : query.anmSchemeId
      ? [query.anmSchemeId]
      : own
        ? [...own.keys()]
        : [
            ...new Set(
              (await ports.cycles.cyclesOfDay(query.deliveryDate)).map((c) => c.anmSchemeId),
            ),
          ];
  const versions: PublishedMeritOrder[] = [];
  for (const scheme of schemes.sort()) {
    const mol =
      query.version === undefined
        ? await ports.meritOrders.latest(scheme, query.deliveryDate, query.constraintId)
        : await ports.meritOrders.version(
            scheme,
            query.deliveryDate,
            query.constraintId,
            query.version,
          );
    if (mol) versions.push(mol);
  }
  if (versions.length === 0 && !own) throw new NotFoundError("The merit order");
  const items = versions.flatMap((mol) => {
    const entries = own?.get(mol.anmSchemeId);
    return instructionItems(mol, (parent) => (own ? entries?.has(parent) === true : true));
  });
  return pageOf(items, page, {
    list: "merit-order-instructions",
    scope: `${query.deliveryDate}|${query.constraintId}|${query.version ?? ""}|${query.anmSchemeId ?? ""}`,
    keyTypes: ["string", "string"],
    keyOf: (item) => [item.anmSchemeId, item.unitId],
  });
}

/** One item per unit of a published version whose parent entry passes `keep`. */
export function instructionItems(
  mol: PublishedMeritOrder,
  keep: (parentEntryId: string) => boolean,
) {
  const reason = (mol as { reason?: string }).reason ?? (mol.fallback ? "fallback" : "day-ahead");
  return unitInstructions(mol.segments, deliveryDay(mol.deliveryDate), (line) =>
    keep(line.parentEntryId),
  ).map((unit) => ({
    anmSchemeId: mol.anmSchemeId,
    deliveryDate: mol.deliveryDate,
    constraintId: mol.constraintId,
    version: mol.version,
    reason,
    unitId: unit.unitId,
    parentEntryId: unit.parentEntryId,
    ...(unit.tradeId ? { tradeId: unit.tradeId } : {}),
    periods: unit.periods,
  }));
}
