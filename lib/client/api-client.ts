/**
 * A small client for the BiTraDER REST API, as participants', ANM and operator software would
 * use it: JSON in and out, the API key in `x-api-key`. Used by `npm run demo` and the
 * integration tests.
 */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.key ? { "x-api-key": options.key } : {}),
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        ...options.headers,
      },
      ...(options.body === undefined
        ? {}
        : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: body as T };
  }

  /** Like {@link request} but throws unless the status is the expected one. */
  async expect<T = any>(
    status: number,
    method: string,
    path: string,
    options: Parameters<ApiClient["request"]>[2] = {},
  ): Promise<T> {
    const response = await this.request<T>(method, path, options);
    if (response.status !== status)
      throw new Error(
        `${method} ${path}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`,
      );
    return response.body;
  }
}

/** A participant with a qualified asset, ready to trade. */
export interface Trader {
  name: string;
  participantId: string;
  apiKey: string;
  assetId: string;
}

/**
 * A newcomer's path (api.md "Registration", "Assets"): register, operator approves, claim the key,
 * register the asset claiming MOL entries, operator qualifies it.
 */
export async function onboard(
  api: ApiClient,
  operatorKey: string,
  trader: {
    name: string;
    anmSchemeId: string;
    entryIds: string[];
    exportCapacityMw?: number;
    flexibleServiceContracts?: { contractId: string; start: string; end: string }[];
  },
): Promise<Trader> {
  const registration = await api.expect(201, "POST", "/registrations", {
    body: {
      organisation: {
        legalName: `${trader.name} Energy Ltd`,
        companyNumber: "01234567",
        registeredAddress: "1 Grid Street, Manchester",
      },
      contact: { name: `${trader.name} desk`, email: `desk@${trader.name.toLowerCase()}.example` },
    },
  });
  const participantId: string = registration.participantId;
  await api.expect(200, "POST", `/participants/${participantId}/decision`, {
    key: operatorKey,
    body: { decision: "approve" },
  });
  const { apiKey } = await api.expect(201, "POST", `/registrations/${participantId}/api-key`, {
    body: { claimSecret: registration.claimSecret },
  });
  const asset = await api.expect(201, "POST", "/assets", {
    key: apiKey,
    body: {
      name: `${trader.name} site`,
      assetType: "discrete",
      technology: "wind",
      exportCapacityMw: trader.exportCapacityMw ?? 10,
      connectionVoltageKv: 33,
      postcode: "M1 1AA",
      anmSchemeId: trader.anmSchemeId,
      molEntryIds: trader.entryIds,
      ...(trader.flexibleServiceContracts
        ? { flexibleServiceContracts: trader.flexibleServiceContracts }
        : {}),
    },
  });
  await api.expect(200, "POST", `/assets/${asset.assetId}/decision`, {
    key: operatorKey,
    body: { decision: "qualify" },
  });
  return { name: trader.name, participantId, apiKey, assetId: asset.assetId };
}

/** Polls `fn` until `done` holds (or throws after `timeoutMs`). */
export async function waitFor<T>(
  fn: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (done(value)) return value;
    if (Date.now() > until)
      throw new Error(`timed out waiting; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** An order as a scenario file writes it (`examples/*.json`, `orders[]`). */
export interface ScenarioOrderInput {
  entryId: string;
  side: "buy" | "sell";
  quantityMw: number;
  availabilityPrice: number;
  utilisationPrice: number;
  serviceType?: string | undefined;
}

/** The `POST /orders` body that places a scenario's order in `marketId`. */
export function orderBodyOf(order: ScenarioOrderInput, marketId: string) {
  return {
    marketId,
    entryId: order.entryId,
    side: order.side,
    quantityMw: order.quantityMw,
    availabilityPrice: order.availabilityPrice,
    utilisationPrice: order.utilisationPrice,
    ...(order.serviceType ? { serviceType: order.serviceType } : {}),
  };
}
