import { App } from "aws-cdk-lib";
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
    stacks,
  };
}
