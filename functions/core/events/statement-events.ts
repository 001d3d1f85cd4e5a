import type { Statement } from "../settlement/settlement-run";
import { type PlatformEvent, platformEvent } from "./platform-event";

/** R-NOTIFY-4 `statement.issued` to the statement's participant (subject statementId, version). */
export function statementIssuedEvent(s: Statement): PlatformEvent {
  return platformEvent({
    type: "statement.issued",
    recipient: s.participantId,
    subject: s.statementId,
    label: `${s.participantId}:${s.month}:v${s.version}`,
    version: s.version,
    timestampMs: s.issuedAtMs,
    data: {
      statementId: s.statementId,
      month: s.month,
      version: s.version,
      payableGbp: s.payablePence / 100,
      receivableGbp: s.receivablePence / 100,
      netGbp: s.netPence / 100,
      href: `/statements/${s.statementId}?version=${s.version}`,
    },
  });
}
