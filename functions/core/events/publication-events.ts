import type { MeritOrderSegment } from "../merit-order/reorder";
import type { DeliveryDay } from "../model/settlement-periods";
import { kwToMw } from "../model/units";
import type { MeritOrderVersion, PostTradeDay } from "../verification/day";
import {
  ANM_RECIPIENT,
  meritOrderSubject,
  type PlatformEvent,
  platformEvent,
} from "./platform-event";

/** One unit's instruction (R-DISPATCH-1): the version's curtailment per SP of each segment. */
export interface UnitInstruction {
  unitId: string;
  parentEntryId: string;
  tradeId?: string;
  periods: { sp: number; start: string; curtailmentMw: number }[];
}

/** True for a slice `E/T` or a remainder `E/rem` (R-DISPATCH-2's "slice or remainder"). */
function isMoved(line: { entryId: string; tradeId?: string }): boolean {
  return line.tradeId !== undefined || line.entryId.endsWith("/rem");
}

/**
 * Every unit of a version's segments, each with its curtailment per SP across segments
 * (`GET /merit-order-instructions`, the `dispatch.instruction` payload), optionally only the
 * units whose parent entry passes `keep`.
 */
export function unitInstructions(
  segments: ReadonlyArray<MeritOrderSegment>,
  day: DeliveryDay,
  keep: (line: { entryId: string; parentEntryId: string; tradeId?: string }) => boolean = () =>
    true,
): UnitInstruction[] {
  const units = new Map<string, UnitInstruction>();
  for (const s of segments)
    for (const line of s.entries) {
      if (!keep(line)) continue;
      let unit = units.get(line.entryId);
      if (!unit) {
        unit = { unitId: line.entryId, parentEntryId: line.parentEntryId, periods: [] };
        if (line.tradeId) unit.tradeId = line.tradeId;
        units.set(line.entryId, unit);
      }
      line.curtailmentKw.forEach((kw, k) => {
        const period = day.periods[s.firstIndex + k]!;
        unit.periods.push({ sp: period.sp, start: period.start, curtailmentMw: kwToMw(kw) });
      });
    }
  for (const u of units.values()) u.periods.sort((a, b) => a.sp - b.sp);
  return [...units.values()];
}

/**
 * R-DISPATCH-2: for a published version with segments, or one replacing a version:
 * `merit-order.published` to the ANM; to each participant with a slice or remainder in it or in
 * the version it replaces, `merit-order.published` and one `dispatch.instruction` listing each
 * such unit of its own (an empty list: no instruction any more). Recipients in id order; owners
 * and `href`s as decision D-69 says.
 */
export function publicationEvents(
  day: Pick<PostTradeDay, "lookAhead" | "owners">,
  version: MeritOrderVersion,
  previous: MeritOrderVersion | undefined,
): PlatformEvent[] {
  if (version.segments.length === 0 && !previous) return [];
  const { anmSchemeId, deliveryDate } = day.lookAhead;
  const subject = meritOrderSubject(anmSchemeId, deliveryDate, version.constraintId);
  const label = `${version.constraintId}:v${version.version}`;
  const query = `deliveryDate=${deliveryDate}&constraintId=${encodeURIComponent(version.constraintId)}&version=${version.version}`;
  const event = (
    type: "merit-order.published" | "dispatch.instruction",
    recipient: string,
    data: Record<string, unknown>,
  ) =>
    platformEvent({
      type,
      recipient,
      subject,
      label,
      version: version.version,
      timestampMs: version.publishedAtMs,
      data: {
        anmSchemeId,
        deliveryDate,
        constraintId: version.constraintId,
        version: version.version,
        ...data,
      },
    });
  const published = (recipient: string, href: string) =>
    event("merit-order.published", recipient, { reason: version.reason, href });
  const events = [
    published(
      ANM_RECIPIENT,
      `/anm/merit-order?anmSchemeId=${encodeURIComponent(anmSchemeId)}&${query}`,
    ),
  ];
  const recipients = new Set<string>();
  for (const segments of [version.segments, previous?.segments ?? []])
    for (const s of segments)
      for (const line of s.entries) {
        const owner = day.owners.get(line.parentEntryId);
        if (owner && isMoved(line)) recipients.add(owner);
      }
  for (const participantId of [...recipients].sort()) {
    events.push(published(participantId, `/merit-order-instructions?${query}`));
    events.push(
      event("dispatch.instruction", participantId, {
        units: unitInstructions(
          version.segments,
          day.lookAhead.day,
          (line) => isMoved(line) && day.owners.get(line.parentEntryId) === participantId,
        ),
      }),
    );
  }
  return events;
}
