import type { PolicyDocument } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey } from "../../../functions/adapters/credentials";
import { mayCall, policyFor } from "../../../functions/http/auth/policy";
import type { Route } from "../../../functions/http/routes";
import { policyAllows } from "../../../lib/local/iam-policy";

const routes: Route[] = [
  { id: "GetMe", method: "GET", path: "/me", roles: ["participant"], entry: "x.ts", grants: {} },
  {
    id: "GetMeritOrder",
    method: "GET",
    path: "/anm/merit-order",
    roles: ["anm", "operator"],
    entry: "x.ts",
    grants: {},
  },
  {
    id: "GetMarket",
    method: "GET",
    path: "/markets/{marketId}",
    roles: ["participant", "operator"],
    entry: "x.ts",
    grants: {},
  },
  {
    id: "PostRegistration",
    method: "POST",
    path: "/registrations",
    roles: "none",
    entry: "x.ts",
    grants: {},
  },
];

describe("who may call a route", () => {
  it.each([
    ["participant", "GET", "/me", true],
    ["operator", "GET", "/me", false],
    ["anm", "GET", "/anm/merit-order", true],
    ["operator", "GET", "/anm/merit-order", true],
    ["participant", "GET", "/anm/merit-order", false],
    ["operator", "GET", "/markets/{marketId}", true],
    ["anm", "GET", "/markets/{marketId}", false],
    ["operator", "POST", "/me", false],
    ["operator", "GET", "/not-a-route", false],
    ["operator", "POST", "/registrations", false],
  ] as const)("%s on %s %s: %s", (role, method, resource, expected) => {
    expect(mayCall(role, method, resource, routes)).toBe(expected);
  });
});

describe("the authorizer's policy, as API Gateway and the local server evaluate it", () => {
  const arn = "arn:aws:execute-api:eu-west-2:123456789012:abc123/v1/GET/markets/M-1";

  it("allows exactly the method ARN it was issued for", () => {
    expect(policyAllows(policyFor(true, arn), arn)).toBe(true);
    expect(policyAllows(policyFor(true, arn), arn.replace("M-1", "M-2"))).toBe(false);
  });

  it("denies with an explicit Deny", () => {
    expect(policyAllows(policyFor(false, arn), arn)).toBe(false);
  });

  it("reads IAM wildcards, an explicit Deny winning over an Allow", () => {
    const policy: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "execute-api:*",
          Resource: "arn:aws:execute-api:*:*:abc123/v1/GET/*",
        },
        {
          Effect: "Deny",
          Action: "execute-api:Invoke",
          Resource: "arn:aws:execute-api:*:*:abc123/v1/GET/secret",
        },
      ],
    };
    expect(policyAllows(policy, arn)).toBe(true);
    expect(policyAllows(policy, "arn:aws:execute-api:eu-west-2:1:abc123/v1/GET/secret")).toBe(
      false,
    );
    expect(policyAllows(policy, "arn:aws:execute-api:eu-west-2:1:abc123/v1/POST/markets")).toBe(
      false,
    );
  });
});

describe("API keys", () => {
  it("are long random strings, different every time", () => {
    const keys = new Set(Array.from({ length: 100 }, generateApiKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^btr_[A-Za-z0-9_-]{43}$/);
  });

  it("are stored as their SHA-256, never as themselves", () => {
    expect(hashApiKey("btr_example")).toBe(
      "635fe28f1a5a8dabf375f61ca07643dc298e3552b540aa5fc7cfaaa6d964e71e",
    );
  });
});
