import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import * as z from "zod";
import { processUpload } from "../../core/use-cases/post-trade-inputs";
import { logger } from "../../runtime/logger";
import * as ports from "../../runtime/ports";

const deps = ports.compose({
  ids: ports.ids,
  assets: ports.assets,
  claims: ports.claims,
  schemes: ports.schemes,
  cycles: ports.cycles,
  markets: ports.markets,
  orders: ports.orders,
  trades: ports.trades,
  meritOrders: ports.meritOrders,
  topologyChanges: ports.topologyChanges,
  actuals: ports.actuals,
  nominations: ports.nominations,
  meters: ports.meters,
  uploads: ports.uploads,
  bucket: ports.bucket,
});

/**
 * The "Object Created" event S3 sends to EventBridge (the fields used). The local stack's object
 * route sends the same shape once it has stored an object (D-232).
 */
const ObjectCreatedSchema = z.object({
  source: z.literal("aws.s3"),
  "detail-type": z.literal("Object Created"),
  /** When the object was created: the file's receipt time (R-PERF-2 deadlines). */
  time: z.iso.datetime({ offset: true }),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1), size: z.number().int().nonnegative().optional() }),
  }),
});

/**
 * CONSUMERS row `MeterUploadReceived`: a file was put to a pre-signed meter upload URL. Checks
 * and stores it as a body of its type and records the upload's outcome once; a fault other than
 * a refusal is thrown, so the event is delivered again (D-232).
 */
export const handler = middy<unknown, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const { time, detail } = ObjectCreatedSchema.parse(event);
    const uploadId = detail.object.key;
    const { outcome } = await processUpload(deps, uploadId, Date.parse(time));
    logger.info("meter upload processed", {
      uploadId,
      size: detail.object.size,
      outcome: outcome?.status ?? "no session",
      ...(outcome?.status === "refused" ? { code: outcome.code } : {}),
    });
    return { uploadId, outcome: outcome?.status ?? "ignored" };
  });
