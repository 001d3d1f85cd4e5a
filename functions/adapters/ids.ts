import { randomBytes, randomUUID } from "node:crypto";
import type { IdGenerator, IdKind } from "../core/ports";

/**
 * The one id policy for ids that name something new (ids that derive from their content are
 * core/model/ids.ts, D-1): a readable prefix and 80 random bits as 20 hex digits; orders keep the
 * UUID they have always had; `token` is a bare UUID (idempotency locks).
 */
const PREFIX: Readonly<Record<Exclude<IdKind, "order" | "token">, string>> = {
  participant: "par",
  asset: "ast",
  audit: "aud",
  upload: "mup",
};

export const randomIds: IdGenerator = {
  newId(kind: IdKind): string {
    if (kind === "order") return `ord-${randomUUID()}`;
    if (kind === "token") return randomUUID();
    return `${PREFIX[kind]}-${randomBytes(10).toString("hex")}`;
  },
};
