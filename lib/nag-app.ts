import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { addMarketStacks, DEFAULT_REGION, type MarketApp } from "./market-app";

/**
 * The platform's CDK app with cdk-nag's AWS Solutions checks attached: `app.synth()` throws
 * (ValidationFailed) on any finding that is neither fixed nor acknowledged with its reason next
 * to the construct. Used by `npm run nag` and by the infra test that runs it inside `npm test`.
 * `change` lets a test alter the stacks before the checks run; `context` adds context values
 * (`consoleOrigin`, D-119).
 */
export function nagApp(
  change?: (stacks: MarketApp) => void,
  context: Readonly<Record<string, string>> = {},
): App {
  const app = new App({ context: { "aws:cdk:bundling-stacks": [], ...context } });
  const stacks = addMarketStacks(app, { region: DEFAULT_REGION });
  change?.(stacks);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return app;
}
