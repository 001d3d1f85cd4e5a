/**
 * The shapes the console reads from the BiTraDER REST API (docs/api.md). Only the fields the
 * console shows are typed; the API may send more (additive changes).
 */
export type Role = "operator" | "anm" | "participant";

export interface WhoAmI {
  role: Role;
  principalId: string;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface FieldError {
  path: string;
  message: string;
}

/** application/problem+json (api.md, Conventions). */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
}

export type ParticipantStatus = "pending" | "approved" | "rejected" | "suspended";

export interface Participant {
  participantId: string;
  status: ParticipantStatus;
  organisation: {
    legalName: string;
    companyNumber: string;
    registeredAddress: string;
    vatNumber?: string;
  };
  contact: { name: string; email: string; phone?: string };
  apiKeyIssued?: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Registration {
  participantId: string;
  status: "pending";
  claimSecret: string;
}

export type AssetStatus = "pending" | "qualified" | "rejected";

export interface Asset {
  assetId: string;
  participantId: string;
  name: string;
  assetType: "discrete" | "group";
  technology: string;
  exportCapacityMw: number;
  importCapacityMw?: number;
  connectionVoltageKv: number;
  postcode: string;
  anmSchemeId: string;
  molEntryIds: string[];
  status: AssetStatus;
  createdAt: string;
  updatedAt: string;
}

export type Side = "buy" | "sell";

export interface Opportunity {
  opportunityId: string;
  marketId: string;
  constraintId: string;
  entryId: string;
  assetId: string;
  side: Side;
  windowStart: string;
  windowEnd: string;
  constraintSizeMw: number;
  predictedCurtailmentMw: number[];
  curtailmentOrder: number;
  mwAhead: number;
  maxQuantityMw: number;
  marketDepth: { buyMw: number; sellMw: number };
  gateClosureAt: string;
}

export type ServiceType = "generation-turn-down" | "demand-turn-up";

export type OrderStatus = "open" | "withdrawn" | "cancelled" | "matched" | "unmatched";

export interface Order {
  orderId: string;
  marketId: string;
  entryId: string;
  side: Side;
  quantityMw: number;
  availabilityPrice: number;
  utilisationPrice: number;
  serviceType?: ServiceType;
  status: OrderStatus;
  submittedAt: string;
  updatedAt: string;
  filledMw?: number;
}

export interface Trade {
  tradeId: string;
  marketId: string;
  buyOrderId: string;
  sellOrderId: string;
  buyEntryId: string;
  sellEntryId: string;
  quantityMw: number;
  availabilityPrice: number;
  utilisationPrice: number;
  windowStart: string;
  windowEnd: string;
  status: string;
}

export type CycleStatus = "running" | "markets-open" | "published" | "failed" | "superseded";

export interface Cycle {
  cycleId: string;
  lookAheadId: string;
  anmSchemeId: string;
  deliveryDate: string;
  status: CycleStatus;
  gateClosureAt: string;
  executionArn?: string;
  step?: string;
  failure?: { step: string; error: string; cause: string };
  supersedes?: string;
  supersededBy?: string;
}

export interface ExecutionEvent {
  type: string;
  state?: string;
  at: string;
  error?: string;
  cause?: string;
}

export interface Execution {
  executionArn: string;
  name: string;
  status: string;
  startedAt: string;
  stoppedAt?: string;
  error?: string;
  cause?: string;
  events: ExecutionEvent[];
}
