import type { z } from "zod";
import type {
  CycleSchema,
  ExecutionSchema,
  MarketSchema,
  OpportunitySchema,
  OrderSchema,
  TradeSchema,
} from "../../../functions/http/schemas/market";
import type { WhoAmISchema } from "../../../functions/http/schemas/who-am-i";

/**
 * The shapes the console reads from the BiTraDER REST API (docs/api.md). The market's are the
 * API's own response schemas (type-only imports: nothing of zod reaches the bundle), so the
 * console's typecheck fails when the contract changes under it. Participants and assets are
 * written out here because their schema modules import Node-only code (key hashing).
 */
export type WhoAmI = z.output<typeof WhoAmISchema>;
export type Role = WhoAmI["role"];
export type Market = z.output<typeof MarketSchema>;
export type Opportunity = z.output<typeof OpportunitySchema>;
export type Order = z.output<typeof OrderSchema>;
export type Side = Order["side"];
export type Trade = z.output<typeof TradeSchema>;
export type Cycle = z.output<typeof CycleSchema>;
export type Execution = z.output<typeof ExecutionSchema>;
export type ExecutionEvent = Execution["events"][number];

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
