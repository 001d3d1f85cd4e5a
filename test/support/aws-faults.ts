import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** How many faults of each kind were injected. */
export interface AwsFaultCounts {
  throttled: number;
  unprocessedItems: number;
  conflicts: number;
}

/**
 * AWS faults (reliability.md FI, "at each AWS call"), while `active()` holds: every distinct
 * request meets one fault the first time it is sent, the kind DynamoDB gives that call — a batch
 * write stores only half its items and returns the rest as UnprocessedItems; a transaction is
 * cancelled for a TransactionConflict; any other call is throttled
 * (ProvisionedThroughputExceeded). The throttle is raised inside the SDK's retry loop
 * (deserialize step), so the SDK's own retry strategy meets it, as it would meet DynamoDB's.
 */
export function injectAwsFaults(
  client: DynamoDBDocumentClient,
  active: () => boolean,
  counts: AwsFaultCounts,
): void {
  const faulted = new Set<string>();
  const firstSending = (command: string, input: unknown) => {
    const key = `${command}|${JSON.stringify(input)}`;
    if (faulted.has(key)) return false;
    faulted.add(key);
    return true;
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? "";
      if (!active() || command === "BatchWriteItemCommand") return next(args);
      if (!firstSending(command, args.input)) return next(args);
      if (command === "TransactWriteItemsCommand") {
        counts.conflicts += 1;
        const items = (args.input as { TransactItems?: unknown[] }).TransactItems ?? [];
        throw new TransactionCanceledException({
          message: "Transaction cancelled, please refer cancellation reasons for specific reasons",
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: items.map((_, i) => ({
            Code: i === 0 ? "TransactionConflict" : "None",
          })),
        });
      }
      counts.throttled += 1;
      throw new ProvisionedThroughputExceededException({
        message: "The level of configured provisioned throughput for the table was exceeded",
        $metadata: { httpStatusCode: 400 },
      });
    },
    { step: "deserialize", name: "awsFaultInjection" },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!active() || context.commandName !== "BatchWriteItemCommand") return next(args);
      const input = args.input as { RequestItems: Record<string, unknown[]> };
      const [table, requests] = Object.entries(input.RequestItems)[0]!;
      if (requests.length < 2 || !firstSending("BatchWriteItemCommand", input)) return next(args);
      const kept = requests.slice(0, Math.ceil(requests.length / 2));
      const left = requests.slice(kept.length);
      const result = await next({ ...args, input: { ...input, RequestItems: { [table]: kept } } });
      counts.unprocessedItems += left.length;
      const output = result.output as { UnprocessedItems?: Record<string, unknown[]> };
      output.UnprocessedItems = {
        ...output.UnprocessedItems,
        [table]: [...(output.UnprocessedItems?.[table] ?? []), ...left],
      };
      return result;
    },
    { step: "initialize", name: "unprocessedItemsInjection" },
  );
}
