import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { ConsoleApi } from "./api/client";
import type { Session } from "./session";

/** What every page gets: the API (with the caller's key when signed in) and the session. */
export interface ConsoleContextValue {
  readonly api: ConsoleApi;
  readonly session: Session | undefined;
  readonly params: Readonly<Record<string, string>>;
  readonly path: string;
  signIn(session: Session): void;
  signOut(): void;
}

export const ConsoleContext = createContext<ConsoleContextValue | undefined>(undefined);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error("useConsole outside the console");
  return value;
}

/** The session of a page that is only routed to when signed in. */
export function useSession(): Session {
  const { session } = useConsole();
  if (!session) throw new Error("this page needs a signed-in session");
  return session;
}
