import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ConsoleApi } from "./api/client";
import { ConsoleContext, type ConsoleContextValue } from "./context";
import { pagesFor } from "./pages";
import { hrefOf, navigate, useLocation } from "./router";
import { forgetSession, restoreSession, type Session } from "./session";

/**
 * The console's shell: a skip link, the header with who is signed in, the navigation of the
 * pages the role may see (PAGES), and the page itself under its `<h1>`, which takes focus on
 * every page change so keyboard and screen-reader users land on the new content.
 */
export function App(props: { apiBaseUrl: string }) {
  const [session, setSession] = useState<Session | undefined>(restoreSession);
  const location = useLocation();
  const pages = pagesFor(session?.role);
  const page = pages.find((candidate) => candidate.path === location.path);
  const home = pages[0];
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    if (!page && home) window.history.replaceState(null, "", hrefOf(home.path));
    if (!page && home) window.dispatchEvent(new HashChangeEvent("hashchange"));
  }, [page, home]);

  useEffect(() => {
    if (!page) return;
    document.title = `${page.title} — BiTraDER console`;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [page]);

  const context = useMemo<ConsoleContextValue>(() => {
    const base = new ConsoleApi(props.apiBaseUrl);
    return {
      api: base.withKey(session?.apiKey),
      session,
      params: location.params,
      path: location.path,
      signIn: (next) => {
        setSession(next);
        const first = pagesFor(next.role)[0];
        if (first) navigate(first.path);
      },
      signOut: () => {
        forgetSession();
        setSession(undefined);
        navigate("/sign-in");
      },
    };
  }, [props.apiBaseUrl, session, location]);

  const Page = page?.component;
  return (
    <ConsoleContext.Provider value={context}>
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <header class="masthead">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            ⇄
          </span>{" "}
          BiTraDER console
        </div>
        {session ? (
          <div class="who" data-role={session.role}>
            <span>
              Signed in as <strong>{session.displayName}</strong> ({session.role})
            </span>
            <button type="button" onClick={context.signOut}>
              Sign out
            </button>
          </div>
        ) : null}
      </header>
      <nav aria-label="Console">
        <ul>
          {pages.map((candidate) => (
            <li key={candidate.path}>
              <a
                href={hrefOf(candidate.path)}
                aria-current={candidate === page ? "page" : undefined}
                data-page={candidate.path.slice(1)}
              >
                {candidate.nav}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} data-page={page?.path.slice(1)}>
        {page && Page ? (
          <>
            <h1 ref={heading} tabIndex={-1}>
              {page.title}
            </h1>
            <Page />
          </>
        ) : null}
      </main>
      <footer>
        <p>
          Times are shown in Europe/London with their offset from UTC. Every action here is a call
          to the platform's REST API with your key.
        </p>
      </footer>
    </ConsoleContext.Provider>
  );
}
