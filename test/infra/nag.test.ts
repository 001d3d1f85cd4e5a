import { readFileSync } from "node:fs";
import type { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { describe, expect, it } from "vitest";
import { nagApp } from "../../lib/nag-app";

interface Violation {
  readonly ruleName: string;
  readonly violatingConstructs: { constructPath: string }[];
  readonly reason?: string;
}
interface NagReport {
  readonly violations: string[];
  readonly acknowledged: Violation[];
}

/** Synthesizes a nag-checked app; the findings left (rule @ construct) and those acknowledged. */
function nag(app: App): NagReport {
  try {
    const assembly = app.synth();
    const path = `${assembly.directory}/validation-report.json`;
    return { violations: [], acknowledged: acknowledgedIn(path) };
  } catch (error) {
    const path = /found in: (\S+)/.exec(error instanceof Error ? error.message : "")?.[1];
    if (path === undefined) throw error;
    const report = JSON.parse(readFileSync(path, "utf8"));
    const violations = (report.pluginReports as { violations: Violation[] }[]).flatMap((plugin) =>
      plugin.violations.flatMap((v) =>
        v.violatingConstructs.map((c) => `${v.ruleName} @ ${c.constructPath}`),
      ),
    );
    return { violations, acknowledged: acknowledgedIn(path) };
  }
}

function acknowledgedIn(path: string): Violation[] {
  try {
    const report = JSON.parse(readFileSync(path, "utf8"));
    return (report.pluginReports as { suppressedViolations?: Violation[] }[]).flatMap(
      (plugin) => plugin.suppressedViolations ?? [],
    );
  } catch {
    return [];
  }
}

describe("cdk-nag (AWS Solutions checks) inside npm test", () => {
  const clean = nagApp();
  const cleanReport = nag(clean);

  it("finds nothing in the app that is neither fixed nor acknowledged with a reason", () => {
    expect(cleanReport.violations).toEqual([]);
    for (const finding of cleanReport.acknowledged)
      expect(finding.reason?.length).toBeGreaterThan(40);
  });

  it("is clean with the console's CORS origin too (the preflight methods' nested stack, D-119)", () => {
    const report = nag(
      nagApp(undefined, { consoleOrigin: "https://d111111abcdef8.cloudfront.net" }),
    );
    expect(report.violations).toEqual([]);
    expect(
      report.acknowledged.some((finding) =>
        finding.violatingConstructs.some((c) => c.constructPath.includes("CorsPreflight")),
      ),
    ).toBe(true);
  });

  it("fails on a grant widened to a wildcard that nobody acknowledged", () => {
    const widened = nagApp((stacks) => {
      const health = stacks.market.api.functions.GetHealth;
      health?.function.addToRolePolicy(
        new PolicyStatement({
          actions: ["dynamodb:GetItem"],
          resources: ["arn:aws:dynamodb:eu-west-2:123456789012:table/*"],
        }),
      );
    });
    expect(nag(widened).violations).toEqual([
      "AwsSolutions-IAM5[Resource::arn:aws:dynamodb:eu-west-2:123456789012:table/*] @ BitraderMarket/MarketApi/GetHealth/Role/Resource",
    ]);
  });

  it("grants a bare * resource only to actions that support no resource-level permissions", () => {
    // The acknowledgement of `Resource::*` (X-Ray, vended log delivery, the stream consumers'
    // ListStreams) must not hide a real widening: every statement on `*` carries only these.
    const allowedOnStar =
      /^(dynamodb:ListStreams|xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/;
    // Every stack of the app, the nested ones (the workflows', the alarms') included.
    const stacks = clean.node
      .findAll()
      .filter(
        (c): c is import("aws-cdk-lib").Stack =>
          (c as { templateOptions?: unknown }).templateOptions !== undefined,
      );
    expect(stacks.some((stack) => stack.nested)).toBe(true);
    const onStar: string[] = [];
    for (const stack of stacks) {
      const template = Template.fromStack(stack);
      const policies = {
        ...template.findResources("AWS::IAM::Policy"),
        ...template.findResources("AWS::IAM::Role"),
      };
      for (const [id, policy] of Object.entries(policies)) {
        const documents = policy.Properties.PolicyDocument
          ? [policy.Properties.PolicyDocument]
          : (policy.Properties.Policies ?? []).map(
              (p: { PolicyDocument: unknown }) => p.PolicyDocument,
            );
        for (const statement of documents.flatMap((d: { Statement: unknown[] }) => d.Statement)) {
          const resources = [statement.Resource].flat();
          if (!resources.includes("*")) continue;
          for (const action of [statement.Action].flat() as string[])
            if (!allowedOnStar.test(action)) onStar.push(`${id}: ${action}`);
        }
      }
    }
    expect(onStar).toEqual([]);
  });
});
