import { App } from "aws-cdk-lib";
import { addMarketStacks, DEFAULT_REGION } from "../lib/market-app";

const app = new App();
addMarketStacks(app, {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION,
});
