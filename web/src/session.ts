import type { ConsoleApi } from "./api/client";
import type { Participant, Role, WhoAmI } from "./api/types";

/**
 * Who is signed in. The API key lives in this tab's sessionStorage (gone when the tab closes)
 * and in memory; it is sent only in the `x-api-key` header, never put in a URL or logged.
 */
export interface Session {
  readonly apiKey: string;
  readonly role: Role;
  readonly principalId: string;
  /** The participant's legal name, or the role for operator and ANM keys. */
  readonly displayName: string;
}

const STORAGE_KEY = "bitrader.console.session";

/** Where the API is: `config.json` next to the console (cloud), else the console's own origin. */
export async function apiBaseUrl(): Promise<string> {
  try {
    const response = await fetch("./config.json", { cache: "no-store", credentials: "omit" });
    if (response.ok) {
      const config = (await response.json()) as { apiUrl?: unknown };
      if (typeof config.apiUrl === "string" && config.apiUrl !== "") {
        return config.apiUrl.replace(/\/+$/, "");
      }
    }
  } catch {
    // no config: same origin
  }
  return "";
}

/**
 * Checks a key and finds its role: `GET /whoami` answers for every role, then `GET /me` gives a
 * participant's own record. A wrong or suspended key is the API's 401.
 */
export async function signIn(api: ConsoleApi, apiKey: string): Promise<Session> {
  const keyed = api.withKey(apiKey);
  const who = await keyed.get<WhoAmI>("/whoami");
  let displayName: string = who.role === "anm" ? "ANM system" : "Market operator";
  if (who.role === "participant") {
    const me = await keyed.get<Participant>("/me");
    displayName = me.organisation.legalName;
  }
  const session: Session = { apiKey, role: who.role, principalId: who.principalId, displayName };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

export function restoreSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<Session>;
    if (
      typeof value.apiKey === "string" &&
      (value.role === "operator" || value.role === "anm" || value.role === "participant") &&
      typeof value.principalId === "string" &&
      typeof value.displayName === "string"
    ) {
      return value as Session;
    }
  } catch {
    // unreadable: start signed out
  }
  sessionStorage.removeItem(STORAGE_KEY);
  return undefined;
}

export function forgetSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
