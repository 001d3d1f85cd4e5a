import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { logger } from "../runtime/logger";

/** The middleware every consumer handler runs in: structured logging with the Lambda context. */
export function consumerHandler<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy<E, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(handler);
}
