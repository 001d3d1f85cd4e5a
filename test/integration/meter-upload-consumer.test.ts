import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { METER_CSV_HEADER } from "../../functions/core/performance/meter-readings";
import { handler as meterUploadFailed } from "../../functions/events/handlers/meter-upload-failed";
import { handler as meterUploadReceived } from "../../functions/events/handlers/meter-upload-received";
import { onboard, type Trader, waitFor } from "../../lib/client/api-client";
import { localBucketName } from "../../lib/local/bindings";
import { lambdaContext } from "../../lib/local/lambda-context";
import { useLocalStack } from "../support/use-local-stack";

/**
 * D-232 on the local stack: a file put to a pre-signed upload URL is processed by the
 * `MeterUploadReceived` consumer, which the object route runs after storing the object (as S3's
 * "Object Created" event does through EventBridge). `POST /meter-readings { uploadId }` answers
 * 409 before the file, 202 while it is processed, then 201 with the answer a body would have had
 * (or the refusal's 4xx); `GET /meter-uploads/{uploadId}` shows the same. A crash in the middle
 * of the consumer's writes is retried by the event's redelivery and ends with the same readings
 * and one outcome; a duplicate event changes nothing. A fault on every attempt (D-233) ends, after
 * the last retry, in the dead letter the cloud's on-failure destination sends: the upload is
 * failed (409 UPLOAD_FAILED), audited and alerted, and a new upload of the same file succeeds.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

/**
 * Meter-day writes (BatchWriteItem of `MREAD#…` items) seen, an armed crash after one, and an
 * armed permanent fault before each (D-233: a store that fails every attempt, which DynamoDB
 * Local does not do on its own — the text is AWS's, which no answer may show).
 */
const meterWrites = { seen: 0, crashAfter: 0, crashes: 0, failEvery: false, faults: 0 };
const AWS_FAULT_TEXT = "We encountered an internal error. Please try again.";

function instrumentDynamo(client: DynamoDBDocumentClient) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        RequestItems?: Record<string, { PutRequest?: { Item?: { pk?: unknown } } }[]>;
      };
      const pkOf = (pk: unknown) => String((pk as { S?: unknown } | undefined)?.S ?? pk ?? "");
      const isMeterDays =
        /^BatchWrite(Item)?Command$/.test(context.commandName ?? "") &&
        Object.values(input.RequestItems ?? {}).some((reqs) =>
          reqs.some((r) => pkOf(r.PutRequest?.Item?.pk).startsWith("MREAD#")),
        );
      if (isMeterDays && meterWrites.failEvery) {
        meterWrites.faults += 1;
        throw Object.assign(new Error(AWS_FAULT_TEXT), {
          name: "InternalServerError",
          $fault: "server",
        });
      }
      const result = await next(args);
      if (isMeterDays) {
        meterWrites.seen += 1;
        if (meterWrites.crashAfter > 0 && meterWrites.seen === meterWrites.crashAfter) {
          meterWrites.crashAfter = 0;
          meterWrites.crashes += 1;
          throw new Error("injected crash after a batch of meter days");
        }
      }
      return result;
    },
    { step: "initialize", name: "meterUploadFaults" },
  );
}

const local = useLocalStack({ instrumentDynamo });

const SCHEME = `MUP-${process.pid}`;
const ENTRIES = ["U1-A", "U2-A", "U3-A"];
/** Days well in the past (Europe/London), so nothing depends on today's deadline. */
const DAYS = Array.from({ length: 20 }, (_, i) =>
  new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10),
);
let trader: Trader;

/** A meter CSV: every entry and day, 48 SPs of export in kW (`value(sp)`). */
function meterCsv(days: string[], value: (entry: number, day: number, sp: number) => string) {
  const lines = [METER_CSV_HEADER];
  ENTRIES.forEach((entryId, e) => {
    days.forEach((day, d) => {
      for (let sp = 1; sp <= 48; sp += 1)
        lines.push(`${SCHEME},${entryId},${day},${sp},export,kW,${value(e, d, sp)}`);
    });
  });
  return `${lines.join("\r\n")}\r\n`;
}

/** A session for `csv` and the PUT of its bytes to the URL. */
async function put(csv: string) {
  const bytes = Buffer.from(csv, "utf8");
  const session = await local.api.expect(201, "POST", "/meter-uploads", {
    key: trader.apiKey,
    body: { contentType: "text/csv", contentLength: bytes.length },
  });
  const status = await local.api.expect(200, "GET", `/meter-uploads/${session.uploadId}`, {
    key: trader.apiKey,
  });
  expect(status.status).toBe("awaiting-file");
  const early = await local.api.request("POST", "/meter-readings", {
    key: trader.apiKey,
    body: { uploadId: session.uploadId },
  });
  expect([early.status, early.body.code]).toEqual([409, "UPLOAD_NOT_RECEIVED"]);
  const stored = await fetch(session.uploadUrl, {
    method: "PUT",
    headers: session.headers,
    body: bytes,
  });
  expect(stored.status).toBe(200);
  return session.uploadId as string;
}

/**
 * `POST /meter-readings { uploadId }` asked until it is not 202 `processing`, every time with the
 * same Idempotency-Key: a key is not held to a 202 (were it remembered, this would see 202 until
 * it timed out), and the 201 it ends with is.
 */
async function outcomeOf(uploadId: string) {
  const seen: number[] = [];
  const done = await waitFor(
    async () => {
      const r = await local.api.request("POST", "/meter-readings", {
        key: trader.apiKey,
        body: { uploadId },
        headers: { "idempotency-key": `outcome-${uploadId}` },
      });
      seen.push(r.status);
      if (r.status === 202) expect(r.body).toEqual({ uploadId, status: "processing" });
      return r;
    },
    (r) => r.status !== 202,
    60_000,
    50,
  );
  return { ...done, seen };
}

const readingsOf = (entryId: string, day: string) =>
  local.api.expect(
    200,
    "GET",
    `/meter-readings?entryId=${entryId}&deliveryDate=${day}&direction=export`,
    { key: trader.apiKey },
  );

beforeAll(async () => {
  trader = await onboard(local.api, local.stack.keys.operator, {
    name: "UPLOADER",
    anmSchemeId: SCHEME,
    entryIds: ENTRIES,
  });
}, 60_000);

describe("a pre-signed meter upload is processed by the bucket's event (D-232)", () => {
  it("answers 409 before the file, 202 while it is processed, then the 201 a CSV body gets", async () => {
    const days = DAYS.slice(0, 2);
    const csv = meterCsv(days, (e, d, sp) => String(1000 + e * 100 + d * 10 + sp));
    const uploadId = await put(csv);
    const done = await outcomeOf(uploadId);
    expect(done.status).toBe(201);
    expect(done.body.uploadId).toBe(uploadId);
    expect(done.body.readingCount).toBe(ENTRIES.length * days.length * 48);
    // The same file as a text/csv body: the same days, counts and settlement flags.
    const direct = await local.api.expect(201, "POST", "/meter-readings", {
      key: trader.apiKey,
      body: csv,
      headers: { "content-type": "text/csv" },
    });
    expect(done.body.days).toEqual(direct.days);
    expect(done.body.readingCount).toBe(direct.readingCount);
    // Asked again (with or without the key): the same answer; GET shows it as the result.
    const again = await local.api.expect(201, "POST", "/meter-readings", {
      key: trader.apiKey,
      body: { uploadId },
    });
    expect(again).toEqual(done.body);
    const status = await local.api.expect(200, "GET", `/meter-uploads/${uploadId}`, {
      key: trader.apiKey,
    });
    expect(status).toMatchObject({ uploadId, status: "accepted", contentType: "text/csv" });
    expect(status.result).toEqual(done.body);
    const operatorView = await local.api.expect(200, "GET", `/meter-uploads/${uploadId}`, {
      key: local.stack.keys.operator,
    });
    expect(operatorView.status).toBe("accepted");
    const other = await onboard(local.api, local.stack.keys.operator, {
      name: "OTHERUP",
      anmSchemeId: SCHEME,
      entryIds: ["U9-A"],
    });
    for (const [method, path, body] of [
      ["GET", `/meter-uploads/${uploadId}`, undefined],
      ["POST", "/meter-readings", { uploadId }],
    ] as const) {
      const r = await local.api.request(method, path, { key: other.apiKey, body });
      expect([r.status, r.body.code]).toEqual([404, "NOT_FOUND"]);
    }
  });

  it("answers a refused file's 4xx with its line paths, on POST and GET, and stores nothing", async () => {
    const day = DAYS[2]!;
    const csv = meterCsv([day], (_e, _d, sp) => (sp === 7 ? "-5" : "900"));
    const uploadId = await put(csv);
    const done = await outcomeOf(uploadId);
    // What the same CSV as a body answers.
    const direct = await local.api.request("POST", "/meter-readings", {
      key: trader.apiKey,
      body: csv,
      headers: { "content-type": "text/csv" },
    });
    expect(direct.status).toBeGreaterThanOrEqual(400);
    expect(direct.status).toBeLessThan(500);
    expect(done.status).toBe(direct.status);
    expect(done.body.code).toBe(direct.body.code);
    expect(done.body.errors).toEqual(direct.body.errors);
    expect(done.body.errors[0].path).toMatch(/^line 8\./);
    const status = await local.api.expect(200, "GET", `/meter-uploads/${uploadId}`, {
      key: trader.apiKey,
    });
    expect(status.status).toBe("refused");
    expect(status.problem).toEqual({
      code: direct.body.code,
      detail: direct.body.detail,
      errors: direct.body.errors,
    });
    const held = await readingsOf(ENTRIES[0]!, day);
    expect(JSON.stringify(held)).not.toContain(uploadId);
  });

  it("crashes after a batch of its writes, is run again by the event's retry: the same readings, one outcome", async () => {
    const days = DAYS.slice(5, 20);
    const value = (e: number, d: number, sp: number) => String(2000 + e * 7 + d * 3 + sp);
    const csv = meterCsv(days, value);
    meterWrites.seen = 0;
    meterWrites.crashes = 0;
    meterWrites.crashAfter = 1;
    const uploadId = await put(csv);
    const done = await outcomeOf(uploadId);
    expect(meterWrites.crashes).toBe(1);
    // The retry waits a second: meanwhile the upload answered 202 processing.
    expect(done.seen).toContain(202);
    expect(done.status).toBe(201);
    expect(done.body.readingCount).toBe(ENTRIES.length * days.length * 48);
    for (const [e, entryId] of ENTRIES.entries())
      for (const d of [0, days.length - 1]) {
        const { items } = await readingsOf(entryId, days[d]!);
        const readings = items.flatMap((i: { readings: unknown[] }) => i.readings);
        expect(readings).toHaveLength(48);
        expect(readings.map((r: { kw: number }) => r.kw)).toEqual(
          Array.from({ length: 48 }, (_, i) => Number(value(e, d, i + 1))),
        );
        expect(new Set(readings.map((r: { uploadId: string }) => r.uploadId))).toEqual(
          new Set([uploadId]),
        );
      }
    // The event delivered once more (at least once): the held outcome ends it, nothing is written.
    const seenBefore = meterWrites.seen;
    const replay = await meterUploadReceived(
      {
        version: "0",
        id: "replayed",
        "detail-type": "Object Created",
        source: "aws.s3",
        time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        detail: {
          bucket: { name: localBucketName("MeterUploads") },
          object: { key: uploadId, size: Buffer.byteLength(csv) },
        },
      },
      lambdaContext("bitrader-MeterUploadReceived"),
    );
    expect(replay).toEqual({ uploadId, outcome: "accepted" });
    expect(meterWrites.seen).toBe(seenBefore);
    const status = await local.api.expect(200, "GET", `/meter-uploads/${uploadId}`, {
      key: trader.apiKey,
    });
    expect(status.result).toEqual(done.body);
  });

  it("fails every attempt on a fault of the store: after the last retry it is failed (409 UPLOAD_FAILED), audited, alerted, and a new upload succeeds (D-233)", async () => {
    const days = DAYS.slice(3, 5);
    const csv = meterCsv(days, (e, d, sp) => String(3000 + e * 11 + d * 5 + sp));
    meterWrites.faults = 0;
    meterWrites.failEvery = true;
    let uploadId: string;
    let done: Awaited<ReturnType<typeof outcomeOf>>;
    try {
      uploadId = await put(csv);
      done = await outcomeOf(uploadId);
    } finally {
      meterWrites.failEvery = false;
    }
    // The first attempt and the two retries (1 s, 2 s) each met the fault; meanwhile: processing.
    expect(meterWrites.faults).toBeGreaterThanOrEqual(3);
    expect(done.seen).toContain(202);
    expect([done.status, done.body.code]).toEqual([409, "UPLOAD_FAILED"]);
    expect(done.body.detail).toMatch(/upload/i);
    expect(done.body.detail).toContain("POST /meter-uploads");
    expect(JSON.stringify(done.body)).not.toContain(AWS_FAULT_TEXT);
    expect(JSON.stringify(done.body)).not.toContain("InternalServerError");
    // The same answer again, and GET shows it failed with the same problem.
    const again = await local.api.request("POST", "/meter-readings", {
      key: trader.apiKey,
      body: { uploadId },
    });
    expect([again.status, again.body.code, again.body.detail]).toEqual([
      409,
      "UPLOAD_FAILED",
      done.body.detail,
    ]);
    const status = await local.api.expect(200, "GET", `/meter-uploads/${uploadId}`, {
      key: trader.apiKey,
    });
    expect(status).toMatchObject({
      uploadId,
      status: "failed",
      problem: { code: "UPLOAD_FAILED", detail: done.body.detail, errors: [] },
    });
    expect(status.processedAt).toEqual(expect.any(String));
    // Its audit record: a system actor, the reason in rule words.
    const audit = await local.api.expect(200, "GET", `/audit?subject=${uploadId}`, {
      key: local.stack.keys.operator,
    });
    const failed = audit.items.filter(
      (r: { action: string }) => r.action === "meter-upload.failed",
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      actor: { role: "system", principalId: "system:MeterUploadFailed" },
      reason: "UPLOAD_FAILED",
    });
    // The operator is alerted once, with the attempts.
    const alerts = local.stack.alerts.filter((a) => (a.subject ?? "").includes(uploadId));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.subject).toMatch(/failed/);
    expect(JSON.parse(alerts[0]!.message)).toMatchObject({ uploadId, attempts: 3 });
    // None of it counts.
    for (const day of days) {
      const held = await readingsOf(ENTRIES[0]!, day);
      expect(JSON.stringify(held)).not.toContain(uploadId);
    }
    // The participant uploads the same file again under a new upload: accepted.
    const retried = await put(csv);
    const ok = await outcomeOf(retried);
    expect(ok.status).toBe(201);
    expect(ok.body.readingCount).toBe(ENTRIES.length * days.length * 48);
    const { items } = await readingsOf(ENTRIES[1]!, days[0]!);
    expect(items.flatMap((i: { readings: unknown[] }) => i.readings)).toHaveLength(48);
    // A dead letter that comes late for an upload that was accepted changes nothing.
    const late = await meterUploadFailed(
      {
        Records: [
          {
            messageId: "late",
            body: JSON.stringify({
              requestContext: { approximateInvokeCount: 3 },
              requestPayload: {
                "detail-type": "Object Created",
                source: "aws.s3",
                detail: { object: { key: retried } },
              },
            }),
          },
        ],
      },
      lambdaContext("bitrader-MeterUploadFailed"),
    );
    expect(late).toEqual({ batchItemFailures: [] });
    const still = await local.api.expect(200, "GET", `/meter-uploads/${retried}`, {
      key: trader.apiKey,
    });
    expect(still.status).toBe("accepted");
    expect(local.stack.alerts.filter((a) => (a.subject ?? "").includes(retried))).toEqual([]);
  });

  it("takes the rule's own dead letter (the bare event EventBridge could not deliver) the same way, once", async () => {
    const session = await local.api.expect(201, "POST", "/meter-uploads", {
      key: trader.apiKey,
      body: { contentType: "text/csv", contentLength: 100 },
    });
    const uploadId = session.uploadId as string;
    const letter = {
      messageId: "undeliverable",
      body: JSON.stringify({
        version: "0",
        id: "never-delivered",
        "detail-type": "Object Created",
        source: "aws.s3",
        time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        detail: { bucket: { name: localBucketName("MeterUploads") }, object: { key: uploadId } },
      }),
    };
    const context = lambdaContext("bitrader-MeterUploadFailed");
    expect(await meterUploadFailed({ Records: [letter] }, context)).toEqual({
      batchItemFailures: [],
    });
    // Delivered again (SQS is at least once): the held outcome stays, no second alert.
    await meterUploadFailed(
      { Records: [letter, { messageId: "junk", body: "not json" }] },
      context,
    );
    const status = await local.api.expect(200, "GET", `/meter-uploads/${uploadId}`, {
      key: trader.apiKey,
    });
    expect([status.status, status.problem.code]).toEqual(["failed", "UPLOAD_FAILED"]);
    const answer = await local.api.request("POST", "/meter-readings", {
      key: trader.apiKey,
      body: { uploadId },
    });
    expect([answer.status, answer.body.code]).toEqual([409, "UPLOAD_FAILED"]);
    const alerts = local.stack.alerts.filter((a) => (a.subject ?? "").includes(uploadId));
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]!.message).attempts).toBeUndefined();
  });
});
