import type { FunctionComponent } from "preact";
import type { Role } from "./api/types";
import { AccountPage } from "./pages/account";
import { AssetsPage } from "./pages/assets";
import { CyclesPage } from "./pages/cycles";
import { MeritOrderPage } from "./pages/merit-order";
import { OpportunitiesPage } from "./pages/opportunities";
import { OrdersPage } from "./pages/orders";
import { ParticipantsPage } from "./pages/participants";
import { RegisterPage } from "./pages/register";
import { ReviewAssetsPage } from "./pages/review-assets";
import { SignInPage } from "./pages/sign-in";
import { TradesPage } from "./pages/trades";

/**
 * PAGES — the console's page table, data only: the navigation, the router and the browser
 * tests all read it. `roles: "signed-out"` pages are shown without a key; the others to the
 * roles named, in this order, the first being the role's home page.
 */
export interface ConsolePage {
  readonly path: `/${string}`;
  readonly title: string;
  /** The short name in the navigation. */
  readonly nav: string;
  readonly roles: "signed-out" | readonly Role[];
  readonly component: FunctionComponent;
}

export const PAGES: readonly ConsolePage[] = [
  {
    path: "/sign-in",
    title: "Sign in",
    nav: "Sign in",
    roles: "signed-out",
    component: SignInPage,
  },
  {
    path: "/register",
    title: "Register or claim your key",
    nav: "Register",
    roles: "signed-out",
    component: RegisterPage,
  },
  {
    path: "/opportunities",
    title: "Trading opportunities",
    nav: "Opportunities",
    roles: ["participant"],
    component: OpportunitiesPage,
  },
  {
    path: "/orders",
    title: "Your orders",
    nav: "Orders",
    roles: ["participant"],
    component: OrdersPage,
  },
  {
    path: "/trades",
    title: "Trades",
    nav: "Trades",
    roles: ["participant", "operator"],
    component: TradesPage,
  },
  {
    path: "/assets",
    title: "Your assets",
    nav: "Assets",
    roles: ["participant"],
    component: AssetsPage,
  },
  {
    path: "/account",
    title: "Your organisation",
    nav: "Account",
    roles: ["participant"],
    component: AccountPage,
  },
  {
    path: "/participants",
    title: "Participants",
    nav: "Participants",
    roles: ["operator"],
    component: ParticipantsPage,
  },
  {
    path: "/review-assets",
    title: "Assets to review",
    nav: "Assets",
    roles: ["operator"],
    component: ReviewAssetsPage,
  },
  {
    path: "/cycles",
    title: "Day-ahead cycles",
    nav: "Cycles",
    roles: ["operator"],
    component: CyclesPage,
  },
  {
    path: "/merit-order",
    title: "Merit order",
    nav: "Merit order",
    roles: ["operator", "anm"],
    component: MeritOrderPage,
  },
  // SLOTS — pages that wait for their API routes; each becomes one row here when they land.
  // Nothing of them is shown to users until then.
  //   /performance      participant, operator  GET /performance (expected vs delivered per SP, uPlot)
  //   /statements       participant, operator  GET /statements, GET /statements/{id} (Accept: text/csv download)
  //   /webhooks         participant, anm       PUT|GET|DELETE /webhook-endpoint, GET /webhook-deliveries, …/retry
  //   /schemes          operator               PUT|GET /schemes/{anmSchemeId}
  //   /bulk-upload      participant            POST /assets:bulk and the orders batch route (CSV, per-row results)
  //   /instructions     participant            GET /merit-order-instructions (its own units in the published MOL)
];

/** Each role's first page after sign-in. */
const HOME: Readonly<Record<Role, ConsolePage["path"]>> = {
  participant: "/opportunities",
  operator: "/participants",
  anm: "/merit-order",
};

/** The pages a role (or a visitor) may see, its home page first. */
export function pagesFor(role: Role | undefined): ConsolePage[] {
  const pages = PAGES.filter((page) =>
    role === undefined
      ? page.roles === "signed-out"
      : page.roles !== "signed-out" && page.roles.includes(role),
  );
  if (role === undefined) return pages;
  return [
    ...pages.filter((page) => page.path === HOME[role]),
    ...pages.filter((page) => page.path !== HOME[role]),
  ];
}
