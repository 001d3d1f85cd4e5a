import { App, type NestedStack, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { addMarketStacks } from "../../lib/market-app";

/** An app for infra tests: no bundling (asset code is not what these tests look at). */
export function testApp(): App {
  return new App({ context: { "aws:cdk:bundling-stacks": [] } });
}

/** Both stacks' templates (and the market stack's nested alarms stack), once per test file. */
export function marketTemplates() {
  const app = testApp();
  const stacks = addMarketStacks(app, { account: "123456789012", region: "eu-west-2" });
  return {
    data: Template.fromStack(stacks.data),
    market: Template.fromStack(stacks.market),
    /** The market stack's nested stack of alarms and the dashboard (D-293). */
    alarms: Template.fromStack(stacks.market.alarmsStack),
    /** The market stack's nested stack of the workflows and their task functions (D-154). */
    workflows: Template.fromStack(stacks.market.workflowsStack),
    stacks,
  };
}

/**
 * What a parent stack passes a nested stack's parameter, followed through to what the nested
 * stack's own output gives when the value is one (`Fn::GetAtt` of `Outputs.<name>` of another
 * nested stack of the same parent): the value as the producing template spells it.
 */
export function parameterOf(
  parent: Template,
  nested: NestedStack,
  parameter: string,
  producers: ReadonlyArray<{ stack: NestedStack; template: Template }> = [],
): unknown {
  const resources = parent.toJSON().Resources as Record<string, { Properties: any }>;
  const parentStack = Stack.of(nested.nestedStackResource!);
  const stackResource = resources[parentStack.getLogicalId(nested.nestedStackResource as never)];
  const value = stackResource?.Properties.Parameters?.[parameter];
  const getAtt = (value as { "Fn::GetAtt"?: [string, string] } | undefined)?.["Fn::GetAtt"];
  if (getAtt === undefined || !getAtt[1].startsWith("Outputs.")) return value;
  const producer = producers.find(
    (p) => parentStack.getLogicalId(p.stack.nestedStackResource as never) === getAtt[0],
  );
  if (producer === undefined) return value;
  return producer.template.toJSON().Outputs?.[getAtt[1].slice("Outputs.".length)]?.Value;
}
