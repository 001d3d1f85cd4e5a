import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";

export const LOCAL_REGION = "eu-west-2";
export const LOCAL_ACCOUNT = "000000000000";

/**
 * A Lambda `Context` for running a handler in-process, as the Lambda runtime would hand it:
 * a fresh request id per invocation and a deadline from the configured timeout.
 */
export function lambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  const fail = () => {
    throw new Error("legacy Lambda callbacks are not supported; return a promise");
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}

/** A handler as the Lambda runtime calls it (async, no callback). */
export type LambdaHandler<E = unknown, R = unknown> = (event: E, context: Context) => Promise<R>;

/**
 * Loads a handler module from its ROUTES, WORKFLOWS or CONSUMERS `entry` (relative to the
 * repository root).
 */
export async function loadHandler<E, R>(root: string, entry: string): Promise<LambdaHandler<E, R>> {
  const module = (await import(pathToFileURL(resolve(root, entry)).href)) as {
    handler?: LambdaHandler<E, R>;
  };
  if (typeof module.handler !== "function") {
    throw new Error(`${entry} does not export a handler`);
  }
  return module.handler;
}
