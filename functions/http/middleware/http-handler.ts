import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { logger } from "../../runtime/logger";
import { corsAnswers } from "./cors-headers";
import { problemErrors } from "./problem-errors";

export type HttpRoute = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

/**
 * The middleware every route handler runs in, in this order: structured logging with the Lambda
 * context, lowercase header names (read headers only after this), the console's CORS headers on
 * every answer (D-119), and the problem+json error mapper. Handlers stay thin: parse → call one
 * use case → map the result; they never catch.
 */
export function httpHandler(route: HttpRoute) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(corsAnswers())
    .use(problemErrors({ logger }))
    .handler(route);
}
