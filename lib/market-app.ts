import type { App, Environment } from "aws-cdk-lib";
import { DataStack } from "./stacks/data-stack";
import { MarketStack } from "./stacks/market-stack";

/** Deployed in London (UK distribution networks) unless BITRADER_REGION says otherwise. */
export const DEFAULT_REGION = "eu-west-2";

export interface MarketApp {
  readonly data: DataStack;
  readonly market: MarketStack;
}

/** The platform's stacks: DataStack (the table) and MarketStack (API, functions, workflow). */
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
  return { data, market };
}
