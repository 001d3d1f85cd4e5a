import { type App, type Environment, Stack } from "aws-cdk-lib";
import { ConsoleHosting } from "./constructs/console-hosting";
import { DataStack } from "./stacks/data-stack";
import { MarketStack } from "./stacks/market-stack";

/** Deployed in London (UK distribution networks) unless BITRADER_REGION says otherwise. */
export const DEFAULT_REGION = "eu-west-2";

export interface MarketApp {
  readonly data: DataStack;
  readonly market: MarketStack;
  readonly console: ConsoleHosting;
}

/**
 * The platform's stacks: DataStack (the table), MarketStack (API, functions, workflow) and
 * BitraderConsole (the web console on S3 + CloudFront, calling MarketStack's API).
 */
export function addMarketStacks(app: App, env: Environment): MarketApp {
  // D-199: the trial clock is the local stack's only; a deployed platform runs on the real clock.
  if (app.node.tryGetContext("clock") !== undefined || process.env.BITRADER_CLOCK !== undefined)
    throw new Error(
      "The trial clock (npm start -- --clock) exists only on the local stack; the cloud build has no clock option.",
    );
  const data = new DataStack(app, "BitraderData", {
    env,
    description:
      "BiTraDER: the single DynamoDB table, the webhook-secrets key and the meter-upload bucket (stateful)",
    terminationProtection: true,
  });
  const market = new MarketStack(app, "BitraderMarket", {
    env,
    description:
      "BiTraDER: REST API, functions and the workflows (day-ahead cycle, settlement run)",
    table: data.table,
    bucketNames: data.bucketNames,
    keys: data.keys,
    // D-119: `-c consoleOrigin=https://<ConsoleUrl's host>` (the distribution's domain, or the
    // console's own domain) is the one origin the API answers CORS for.
    ...(typeof app.node.tryGetContext("consoleOrigin") === "string"
      ? { corsOrigin: app.node.tryGetContext("consoleOrigin") as string }
      : {}),
    // `npx cdk deploy -c alarmEmail=ops@example.org` subscribes the operator to the alarms.
    ...(typeof app.node.tryGetContext("alarmEmail") === "string"
      ? { alarmEmail: app.node.tryGetContext("alarmEmail") as string }
      : {}),
  });
  const consoleStack = new Stack(app, "BitraderConsole", {
    env,
    description: "BiTraDER: the web console (private S3 bucket behind CloudFront)",
  });
  const console = new ConsoleHosting(consoleStack, "Console", { apiUrl: market.api.api.url });
  return { data, market, console };
}
