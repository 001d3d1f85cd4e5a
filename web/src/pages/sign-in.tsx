import { useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { SubmitButton } from "../components/cells";
import { ErrorSummary, TextField, useFormErrors } from "../components/form";
import { useConsole } from "../context";
import { hrefOf } from "../router";
import { signIn } from "../session";

const FIELDS = ["apiKey"];
const LABELS = { apiKey: "API key" };

/** Sign in with an API key: the key's role (GET /whoami) decides which pages are shown. */
export function SignInPage() {
  const context = useConsole();
  const [apiKey, setApiKey] = useState("");
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(FIELDS);

  async function submit(event: Event) {
    event.preventDefault();
    form.clear();
    if (apiKey.trim() === "") {
      form.refuse(
        new ApiError({
          title: "Enter your API key",
          status: 400,
          code: "API_KEY_REQUIRED",
          errors: [{ path: "apiKey", message: "Enter the API key you were issued" }],
        }),
      );
      return;
    }
    setBusy(true);
    try {
      const session = await signIn(context.api, apiKey.trim());
      setApiKey("");
      context.signIn(session);
    } catch (error) {
      form.refuse(error, { UNAUTHENTICATED: "apiKey", FORBIDDEN: "apiKey" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="narrow">
      <p>
        Sign in with the API key your organisation was issued. The key stays in this browser tab
        only and is forgotten when you close it or sign out.
      </p>
      <form onSubmit={submit} noValidate data-form="sign-in">
        <ErrorSummary
          form="sign-in"
          errors={form.errors}
          labels={LABELS}
          summaryRef={form.summaryRef}
        />
        <TextField
          form="sign-in"
          name="apiKey"
          label="API key"
          type="password"
          autoComplete="off"
          required
          value={apiKey}
          onInput={setApiKey}
          errors={form.errors}
        />
        <SubmitButton busy={busy} busyLabel="Signing in…">
          {"Sign in"}
        </SubmitButton>
      </form>
      <p>
        No key yet? <a href={hrefOf("/register")}>Register your organisation or claim your key</a>.
      </p>
    </div>
  );
}
