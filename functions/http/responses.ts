import type { APIGatewayProxyResult } from "aws-lambda";
import { PROBLEM_CONTENT_TYPE, type Problem } from "./problem";

/** A JSON response. */
export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

/** A problem+json response; its status is the problem's. */
export function problemResponse(problem: Problem): APIGatewayProxyResult {
  return {
    statusCode: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(problem),
  };
}
