import type { Participant } from "../api/types";
import { Badge } from "../components/cells";
import { LoadError, Loading, useLoad } from "../components/status";
import { useConsole } from "../context";
import { formatInstant } from "../time";

/** The participant's own record (api.md `GET /me`). */
export function AccountPage() {
  const { api } = useConsole();
  const me = useLoad((signal) => api.get<Participant>("/me", signal), [api]);
  if (me.error) return <LoadError error={me.error} />;
  if (!me.data) return <Loading what="your record" />;
  const p = me.data;
  return (
    <dl class="record" data-section="account">
      <dt>Participant id</dt>
      <dd>
        <code>{p.participantId}</code>
      </dd>
      <dt>Status</dt>
      <dd>
        <Badge value={p.status} />
      </dd>
      <dt>Legal name</dt>
      <dd>{p.organisation.legalName}</dd>
      <dt>Companies House number</dt>
      <dd>{p.organisation.companyNumber}</dd>
      <dt>Registered address</dt>
      <dd>{p.organisation.registeredAddress}</dd>
      {p.organisation.vatNumber ? (
        <>
          <dt>VAT number</dt>
          <dd>{p.organisation.vatNumber}</dd>
        </>
      ) : null}
      <dt>Contact</dt>
      <dd>
        {p.contact.name}, {p.contact.email}
        {p.contact.phone ? `, ${p.contact.phone}` : ""}
      </dd>
      <dt>Registered</dt>
      <dd>{formatInstant(p.createdAt)}</dd>
    </dl>
  );
}
