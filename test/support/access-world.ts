import { randomBytes } from "node:crypto";

/**
 * A populated local stack for access tests, driven only through the HTTP API: participants A and
 * B (approved, keys claimed), a suspended participant with a key, and builders for fresh objects.
 * Every response is recorded so tests can scan them (no stack trace, AWS error or hash).
 */
export const CALLERS = [
  "none",
  "unknown",
  "suspended",
  "participantA",
  "participantB",
  "anm",
  "operator",
] as const;
export type Caller = (typeof CALLERS)[number];

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
  readonly body: any;
}

export interface CallOptions {
  readonly key?: string | undefined;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
}

export interface Keyholder {
  readonly participantId: string;
  readonly apiKey: string;
}

export interface AccessWorld {
  readonly url: string;
  /** The key each caller presents (`none`: no header). */
  readonly keys: Readonly<Record<Caller, string | undefined>>;
  readonly participantA: Keyholder;
  readonly participantB: Keyholder;
  /** A pending asset of participant A. */
  readonly assetOfA: { readonly assetId: string; readonly anmSchemeId: string };
  /** Every answer so far. */
  readonly answers: HttpAnswer[];
  call(method: string, path: string, options?: CallOptions): Promise<HttpAnswer>;
  registrationBody(): Record<string, unknown>;
  /** A valid asset body with MOL entry ids nobody has claimed yet. */
  assetBody(): Record<string, unknown>;
  newRegistration(): Promise<{ participantId: string; claimSecret: string }>;
  newApprovedRegistration(): Promise<{ participantId: string; claimSecret: string }>;
  newKeyholder(): Promise<Keyholder>;
  newAsset(owner: Keyholder): Promise<{ assetId: string; anmSchemeId: string }>;
  decide(participantId: string, decision: "approve" | "reject" | "suspend"): Promise<void>;
}

export const ANM_SCHEME = "ENWL-ANM-01";

export async function createAccessWorld(
  url: string,
  operatorKey: string,
  anmKey: string,
): Promise<AccessWorld> {
  const answers: HttpAnswer[] = [];
  let serial = 0;
  const unique = () =>
    `${Date.now().toString(36)}${(serial++).toString(36)}${randomBytes(3).toString("hex")}`;

  async function call(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<HttpAnswer> {
    const search = options.query ? `?${new URLSearchParams(options.query)}` : "";
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers["x-api-key"] = options.key;
    let payload: string | undefined = options.rawBody;
    if (payload === undefined && options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers["content-type"] ??= "application/json";
    const response = await fetch(`${url}${path}${search}`, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const answer = {
      status: response.status,
      contentType: response.headers.get("content-type"),
      text,
      body,
    };
    answers.push(answer);
    return answer;
  }

  function expectStatus(answer: HttpAnswer, status: number, what: string): void {
    if (answer.status !== status) {
      throw new Error(`${what}: expected ${status}, got ${answer.status} ${answer.text}`);
    }
  }

  const registrationBody = () => ({
    organisation: {
      legalName: `Windfarm ${unique()} Ltd`,
      companyNumber: "12345678",
      registeredAddress: "1 Turbine Way, Bolton BL1 1AA",
      vatNumber: "GB123456789",
    },
    contact: { name: "Ada Lovelace", email: "ada@example.com", phone: "+44 161 496 0000" },
  });

  const assetBody = () => {
    const tag = unique();
    return {
      name: `Turbine group ${tag}`,
      assetType: "discrete",
      technology: "wind",
      exportCapacityMw: 12.5,
      importCapacityMw: 0.25,
      connectionVoltageKv: 33,
      exportMpan: "1200023305967",
      postcode: "BL1 1AA",
      anmSchemeId: ANM_SCHEME,
      molEntryIds: [`E-${tag}-A`, `E-${tag}-B`],
      flexibleServiceContracts: [
        {
          contractId: `FS-${tag}`,
          start: "2027-06-14T16:00:00+01:00",
          end: "2027-06-14T19:00:00+01:00",
        },
      ],
    };
  };

  async function newRegistration() {
    const answer = await call("POST", "/registrations", { body: registrationBody() });
    expectStatus(answer, 201, "register");
    return {
      participantId: answer.body.participantId as string,
      claimSecret: answer.body.claimSecret as string,
    };
  }

  async function decide(participantId: string, decision: "approve" | "reject" | "suspend") {
    const answer = await call("POST", `/participants/${participantId}/decision`, {
      key: operatorKey,
      body: { decision },
    });
    expectStatus(answer, 200, `decide ${decision}`);
  }

  async function newApprovedRegistration() {
    const registration = await newRegistration();
    await decide(registration.participantId, "approve");
    return registration;
  }

  async function newKeyholder(): Promise<Keyholder> {
    const { participantId, claimSecret } = await newApprovedRegistration();
    const answer = await call("POST", `/registrations/${participantId}/api-key`, {
      body: { claimSecret },
    });
    expectStatus(answer, 201, "claim key");
    return { participantId, apiKey: answer.body.apiKey as string };
  }

  async function newAsset(owner: Keyholder) {
    const answer = await call("POST", "/assets", { key: owner.apiKey, body: assetBody() });
    expectStatus(answer, 201, "register asset");
    return {
      assetId: answer.body.assetId as string,
      anmSchemeId: answer.body.anmSchemeId as string,
    };
  }

  const participantA = await newKeyholder();
  const participantB = await newKeyholder();
  const suspended = await newKeyholder();
  await decide(suspended.participantId, "suspend");
  const assetOfA = await newAsset(participantA);

  return {
    url,
    keys: {
      none: undefined,
      unknown: `btr_${randomBytes(32).toString("base64url")}`,
      suspended: suspended.apiKey,
      participantA: participantA.apiKey,
      participantB: participantB.apiKey,
      anm: anmKey,
      operator: operatorKey,
    },
    participantA,
    participantB,
    assetOfA,
    answers,
    call,
    registrationBody,
    assetBody,
    newRegistration,
    newApprovedRegistration,
    newKeyholder,
    newAsset,
    decide,
  };
}
