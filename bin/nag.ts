import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { addMarketStacks, DEFAULT_REGION } from "../lib/market-app";

/**
 * `npm run nag`: the app checked against cdk-nag's AWS Solutions pack. Exits non-zero on any
 * finding that is neither fixed nor acknowledged (with its reason, next to the construct).
 */
const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
addMarketStacks(app, { region: DEFAULT_REGION });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
