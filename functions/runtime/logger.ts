import { Logger } from "@aws-lambda-powertools/logger";

/** The one structured logger; the service name is the platform's, the function adds its own. */
export const logger = new Logger({ serviceName: "bitrader" });
