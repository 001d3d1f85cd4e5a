import { App } from "aws-cdk-lib";
import { addMarketStacks, DEFAULT_REGION } from "../lib/market-app";

// The region is the platform's (eu-west-2), not whatever the CLI guesses; BITRADER_REGION overrides it.
const app = new App();
addMarketStacks(app, {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.BITRADER_REGION || DEFAULT_REGION,
});
