import { useState } from "preact/hooks";
import { newIdempotencyKey } from "../api/client";
import type { Registration } from "../api/types";
import { SubmitButton } from "../components/cells";
import { defined, ErrorSummary, TextField, useFormErrors } from "../components/form";
import { useConsole } from "../context";
import { signIn } from "../session";

const REGISTRATION_FIELDS = [
  "organisation.legalName",
  "organisation.companyNumber",
  "organisation.registeredAddress",
  "organisation.vatNumber",
  "contact.name",
  "contact.email",
  "contact.phone",
] as const;
type RegistrationField = (typeof REGISTRATION_FIELDS)[number];

const REGISTRATION_LABELS: Record<RegistrationField, string> = {
  "organisation.legalName": "Legal name",
  "organisation.companyNumber": "Companies House number",
  "organisation.registeredAddress": "Registered address",
  "organisation.vatNumber": "VAT number",
  "contact.name": "Contact name",
  "contact.email": "Contact email",
  "contact.phone": "Contact phone",
};

const CLAIM_FIELDS = ["participantId", "claimSecret"];
const CLAIM_LABELS = { participantId: "Participant id", claimSecret: "Claim secret" };

/**
 * Getting access (api.md "Registration"): register the organisation (the claim secret is shown
 * once), wait for the operator's approval, then claim the API key (also shown once).
 */
export function RegisterPage() {
  return (
    <div class="two-columns">
      <RegistrationForm />
      <ClaimForm />
    </div>
  );
}

function RegistrationForm() {
  const { api } = useConsole();
  const [values, setValues] = useState<Record<RegistrationField, string>>(
    () =>
      Object.fromEntries(REGISTRATION_FIELDS.map((name) => [name, ""])) as Record<
        RegistrationField,
        string
      >,
  );
  const [registration, setRegistration] = useState<Registration>();
  const [busy, setBusy] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const form = useFormErrors(REGISTRATION_FIELDS);
  const set = (name: RegistrationField) => (value: string) => {
    setValues((previous) => ({ ...previous, [name]: value }));
    setIdempotencyKey(newIdempotencyKey());
  };
  const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());

  async function submit(event: Event) {
    event.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const body = {
        organisation: defined({
          legalName: values["organisation.legalName"].trim(),
          companyNumber: values["organisation.companyNumber"].trim(),
          registeredAddress: values["organisation.registeredAddress"].trim(),
          vatNumber: optional(values["organisation.vatNumber"]),
        }),
        contact: defined({
          name: values["contact.name"].trim(),
          email: values["contact.email"].trim(),
          phone: optional(values["contact.phone"]),
        }),
      };
      setRegistration(
        await api.request<Registration>("POST", "/registrations", { body, idempotencyKey }),
      );
    } catch (error) {
      form.refuse(error);
    } finally {
      setBusy(false);
    }
  }

  if (registration) {
    return (
      <section aria-labelledby="registered-heading" data-section="registered">
        <h2 id="registered-heading" tabIndex={-1}>
          Registration received
        </h2>
        <p>
          Your organisation is registered and waits for the market operator's approval. Keep the
          claim secret below somewhere safe: <strong>it is shown only this once</strong>, and you
          need it with your participant id to claim your API key after approval.
        </p>
        <dl class="secret">
          <dt>Participant id</dt>
          <dd>
            <code data-value="participantId">{registration.participantId}</code>
          </dd>
          <dt>Claim secret</dt>
          <dd>
            <code data-value="claimSecret">{registration.claimSecret}</code>
          </dd>
        </dl>
      </section>
    );
  }

  const field = (name: RegistrationField, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField
      form="registration"
      name={name}
      label={REGISTRATION_LABELS[name]}
      value={values[name]}
      onInput={set(name)}
      errors={form.errors}
      required={!["organisation.vatNumber", "contact.phone"].includes(name)}
      {...extra}
    />
  );
  return (
    <section aria-labelledby="registration-heading">
      <h2 id="registration-heading">Register your organisation</h2>
      <form onSubmit={submit} noValidate data-form="registration">
        <ErrorSummary
          form="registration"
          errors={form.errors}
          labels={REGISTRATION_LABELS}
          summaryRef={form.summaryRef}
        />
        <fieldset>
          <legend>Organisation</legend>
          {field("organisation.legalName", { autoComplete: "organization", spellcheck: true })}
          {field("organisation.companyNumber", {
            hint: "8 digits, or 2 capital letters and 6 digits",
          })}
          {field("organisation.registeredAddress", { autoComplete: "street-address" })}
          {field("organisation.vatNumber", { hint: "For example GB123456789" })}
        </fieldset>
        <fieldset>
          <legend>Contact</legend>
          {field("contact.name", { autoComplete: "name" })}
          {field("contact.email", { type: "email", autoComplete: "email" })}
          {field("contact.phone", { type: "tel", autoComplete: "tel" })}
        </fieldset>
        <SubmitButton busy={busy} busyLabel="Registering…">
          {"Register"}
        </SubmitButton>
      </form>
    </section>
  );
}

function ClaimForm() {
  const context = useConsole();
  const [participantId, setParticipantId] = useState("");
  const [claimSecret, setClaimSecret] = useState("");
  const [apiKey, setApiKey] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(CLAIM_FIELDS);

  async function submit(event: Event) {
    event.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const claimed = await context.api.request<{ apiKey: string }>(
        "POST",
        `/registrations/${encodeURIComponent(participantId.trim())}/api-key`,
        { body: { claimSecret: claimSecret.trim() } },
      );
      setClaimSecret("");
      setApiKey(claimed.apiKey);
    } catch (error) {
      // A wrong id or secret is one 404 (D-20): it belongs to the pair, shown on the secret.
      form.refuse(error, {
        NOT_FOUND: "claimSecret",
        NOT_APPROVED: "participantId",
        ALREADY_CLAIMED: "participantId",
      });
    } finally {
      setBusy(false);
    }
  }

  async function useKey() {
    if (!apiKey) return;
    try {
      context.signIn(await signIn(context.api, apiKey));
    } catch (error) {
      form.refuse(error);
    }
  }

  if (apiKey) {
    return (
      <section aria-labelledby="claimed-heading" data-section="claimed">
        <h2 id="claimed-heading">Your API key</h2>
        <p>
          This is your organisation's API key. <strong>It is shown only this once</strong>: store it
          in your password manager or secrets store. The platform keeps only its hash.
        </p>
        <dl class="secret">
          <dt>API key</dt>
          <dd>
            <code data-value="apiKey">{apiKey}</code>
          </dd>
        </dl>
        <button type="button" class="primary" onClick={useKey}>
          Sign in with this key
        </button>
      </section>
    );
  }
  return (
    <section aria-labelledby="claim-heading">
      <h2 id="claim-heading">Claim your API key</h2>
      <p>Once the operator has approved your registration, claim your key with the claim secret.</p>
      <form onSubmit={submit} noValidate data-form="claim">
        <ErrorSummary
          form="claim"
          errors={form.errors}
          labels={CLAIM_LABELS}
          summaryRef={form.summaryRef}
        />
        <TextField
          form="claim"
          name="participantId"
          label="Participant id"
          hint="For example par-0123456789abcdef0123"
          required
          value={participantId}
          onInput={setParticipantId}
          errors={form.errors}
        />
        <TextField
          form="claim"
          name="claimSecret"
          label="Claim secret"
          type="password"
          required
          value={claimSecret}
          onInput={setClaimSecret}
          errors={form.errors}
        />
        <SubmitButton busy={busy} busyLabel="Claiming…">
          {"Claim key"}
        </SubmitButton>
      </form>
    </section>
  );
}
