import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { CONSUMERS } from "../../functions/events/consumers";
import { ROUTES } from "../../functions/http/routes";
import { WORKFLOWS } from "../../functions/workflow/workflows";
import { addMarketStacks } from "../../lib/market-app";
import { marketTemplates } from "../support/cdk-app";

/**
 * D-119 in the synthesized templates: with `-c consoleOrigin=…` the API answers CORS for that
 * origin only — an OPTIONS preflight on every resource (a MOCK, in a nested stack of its own),
 * `CORS_ORIGIN` on every route function, the origin on API Gateway's own answers — and the
 * market stack stays within CloudFormation's 500 resources; without it, nothing of CORS.
 */
const ORIGIN = "https://d111111abcdef8.cloudfront.net";
const app = new App({ context: { "aws:cdk:bundling-stacks": [], consoleOrigin: ORIGIN } });
const stacks = addMarketStacks(app, { account: "123456789012", region: "eu-west-2" });
const market = Template.fromStack(stacks.market);
const preflight = Template.fromStack(stacks.market.api.preflightStack!);
const workflows = Template.fromStack(stacks.market.workflowsStack);
const PATHS = [...new Set(ROUTES.map((route) => route.path))];
type Resource = { Type: string; Properties: any };
const resourcesOf = (t: Template) =>
  Object.values(t.toJSON().Resources as Record<string, Resource>);

describe("the API with the console's origin (D-119)", () => {
  it("has one OPTIONS preflight per resource, each a MOCK without authorization", () => {
    const methods = resourcesOf(preflight).filter((r) => r.Type === "AWS::ApiGateway::Method");
    expect(methods).toHaveLength(PATHS.length);
    for (const m of methods) {
      expect(m.Properties.HttpMethod).toBe("OPTIONS");
      expect(m.Properties.AuthorizationType).toBe("NONE");
      expect(m.Properties.Integration.Type).toBe("MOCK");
    }
    expect(Object.keys(stacks.market.api.preflights).sort()).toEqual([...PATHS].sort());
  });

  it("answers the allowed headers and each resource's own methods; the origin only to the console", () => {
    const method = resourcesOf(preflight).find(
      (r) =>
        r.Type === "AWS::ApiGateway::Method" && r.Properties.OperationName === "Preflight /assets",
    )!;
    const response = method.Properties.Integration.IntegrationResponses[0];
    expect(response.StatusCode).toBe("204");
    expect(response.ResponseParameters).toEqual({
      "method.response.header.Access-Control-Allow-Methods": "'POST, GET, OPTIONS'",
      "method.response.header.Access-Control-Allow-Headers":
        "'content-type, idempotency-key, x-api-key'",
      "method.response.header.Access-Control-Max-Age": "'600'",
      "method.response.header.Vary": "'Origin'",
    });
    // Allow-Origin is never a static value: only the template's override, when Origin matches.
    const template: string = response.ResponseTemplates["application/json"];
    expect(template).toContain(`#if("$!origin" == "${ORIGIN}")`);
    expect(template).toContain(
      `#set($context.responseOverride.header.Access-Control-Allow-Origin = "${ORIGIN}")`,
    );
    expect(template.match(/Access-Control-Allow-Origin/g)).toHaveLength(1);
  });

  it("gives every route function CORS_ORIGIN, and no workflow or consumer function", () => {
    for (const route of ROUTES) {
      const fn = stacks.market.api.functions[route.id]!.function.node.defaultChild as never;
      const logicalId = stacks.market.getLogicalId(fn);
      const props = (market.toJSON().Resources as Record<string, Resource>)[logicalId]!.Properties;
      expect(props.Environment.Variables.CORS_ORIGIN, route.id).toBe(ORIGIN);
    }
    const functions = [market, workflows].flatMap((t) =>
      resourcesOf(t).filter((r) => r.Type === "AWS::Lambda::Function"),
    );
    const withOrigin = functions.filter((r) => r.Properties.Environment?.Variables?.CORS_ORIGIN);
    expect(withOrigin).toHaveLength(ROUTES.length);
    // The workflows' task functions are in their own stack (D-154): none of them has it.
    expect(resourcesOf(workflows).filter((r) => r.Type === "AWS::Lambda::Function").length).toBe(
      WORKFLOWS.reduce((n, w) => n + w.tasks.length, 0),
    );
    expect(CONSUMERS.length).toBeGreaterThan(0);
  });

  it("names the origin on API Gateway's own answers (401, 403, 429, …)", () => {
    const responses = resourcesOf(market).filter(
      (r) => r.Type === "AWS::ApiGateway::GatewayResponse",
    );
    expect(responses.length).toBeGreaterThan(0);
    for (const r of responses)
      expect(
        r.Properties.ResponseParameters["gatewayresponse.header.Access-Control-Allow-Origin"],
      ).toBe(`'${ORIGIN}'`);
  });

  it("keeps the market stack within CloudFormation's 500 resources", () => {
    const count = resourcesOf(market).length;
    expect(count).toBeLessThan(500);
    expect(resourcesOf(preflight).length).toBeLessThan(500);
  });

  it("refuses an origin that is not one", () => {
    const bad = new App({
      context: { "aws:cdk:bundling-stacks": [], consoleOrigin: `${ORIGIN}/console/` },
    });
    expect(() => addMarketStacks(bad, { account: "123456789012", region: "eu-west-2" })).toThrow(
      /corsOrigin must be an origin/,
    );
  });
});

describe("the API without a console origin", () => {
  const { market: plain, stacks: plainStacks } = marketTemplates();

  it("answers no cross-origin caller: no OPTIONS method, no CORS_ORIGIN, no origin on gateway answers", () => {
    const resources = resourcesOf(plain);
    expect(
      resources.filter(
        (r) => r.Type === "AWS::ApiGateway::Method" && r.Properties.HttpMethod === "OPTIONS",
      ),
    ).toEqual([]);
    expect(plainStacks.market.api.preflightStack).toBeUndefined();
    expect(JSON.stringify(resources)).not.toContain("CORS_ORIGIN");
    expect(JSON.stringify(resources)).not.toContain("Access-Control-Allow-Origin");
    expect(resources.length).toBeLessThan(500);
  });
});
