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
  const data = new DataStack(app, "BitraderData", {
    env,
    description: "BiTraDER: the single DynamoDB table (stateful)",
    terminationProtection: true,
  });
  const market = new MarketStack(app, "BitraderMarket", {
    env,
    description: "BiTraDER: REST API, functions and the day-ahead cycle workflow",
    table: data.table,
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
