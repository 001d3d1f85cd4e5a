import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import * as z from "zod";
import { failUpload } from "../../core/use-cases/post-trade-inputs";
import { logger } from "../../runtime/logger";
import * as ports from "../../runtime/ports";

const deps = ports.compose({ clock: ports.clock, alerts: ports.alerts, uploads: ports.uploads });

/** The S3 "Object Created" event the `MeterUploadReceived` consumer failed on (the fields used). */
const ObjectCreatedSchema = z.object({
  "detail-type": z.literal("Object Created"),
  detail: z.object({ object: z.object({ key: z.string().min(1) }) }),
});

/**
 * What lands in the dead-letter queue (D-233), either:
 * - Lambda's on-failure destination record: the function raised on its last asynchronous attempt
 *   (`requestPayload` is the event, `requestContext.approximateInvokeCount` the attempts);
 * - the event itself, sent by the EventBridge rule when it could not invoke the function at all
 *   (its retries or its maximum event age were spent).
 */
const DeadLetterSchema = z.union([
  z.object({
    requestContext: z.object({ approximateInvokeCount: z.number().int().positive().optional() }),
    requestPayload: ObjectCreatedSchema,
  }),
  ObjectCreatedSchema,
]);

interface SqsRecord {
  messageId: string;
  body: string;
}

/**
 * CONSUMERS row `MeterUploadFailed`: the dead letters of `MeterUploadReceived` (D-233). Each is
 * an upload whose every attempt failed: it is recorded `failed` once, with its audit record, and
 * the operator is alerted. A message that is not such an event is logged and dropped (it would
 * never parse on a redelivery); a fault is reported as that message's failure, so only it is
 * delivered again.
 */
export const handler = middy<{ Records: SqsRecord[] }, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      let letter: z.infer<typeof DeadLetterSchema>;
      try {
        letter = DeadLetterSchema.parse(JSON.parse(record.body));
      } catch {
        logger.error("dead letter is not an Object Created event; dropped", {
          messageId: record.messageId,
        });
        continue;
      }
      const [objectEvent, attempts] =
        "requestPayload" in letter
          ? [letter.requestPayload, letter.requestContext.approximateInvokeCount]
          : [letter, undefined];
      const uploadId = objectEvent.detail.object.key;
      try {
        const { outcome } = await failUpload(
          deps,
          uploadId,
          // The platform clock (the trial clock locally, D-199): when the failure is recorded.
          deps.clock.nowMs(),
          attempts,
        );
        logger.warn("meter upload failed after its last attempt", {
          uploadId,
          attempts,
          outcome: outcome?.status ?? "no session",
        });
      } catch (error) {
        logger.error("recording a failed meter upload failed", { uploadId, error });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
