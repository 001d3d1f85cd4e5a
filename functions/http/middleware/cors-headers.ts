import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { env } from "../../runtime/env";
import { corsHeaders } from "../cors";
import { headerOf } from "./parse-body";

/**
 * D-119: every answer of a route, refusals included, carries `Access-Control-Allow-Origin` when
 * the request's `Origin` is the console's (`CORS_ORIGIN`), and nothing of CORS otherwise. Runs
 * after the error middleware has made its answer.
 */
export function corsAnswers(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const add = async (request: {
    event: APIGatewayProxyEvent;
    response?: APIGatewayProxyResult | null | undefined;
  }) => {
    if (request.response === undefined || request.response === null) return;
    const headers = corsHeaders(headerOf(request.event, "origin"), env().CORS_ORIGIN);
    if (Object.keys(headers).length === 0) return;
    request.response = {
      ...request.response,
      headers: { ...request.response.headers, ...headers },
    };
  };
  return { name: "corsAnswers", after: add, onError: add };
}
