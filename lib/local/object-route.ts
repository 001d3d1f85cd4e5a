import { createHash, createHmac } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { SignatureV4 } from "@smithy/signature-v4";
import { LOCAL_REGION } from "./lambda-context";

/**
 * The local stack's stand-in for the S3 buckets the grants name (D-42, D-229): a route of the
 * local API server, `/_buckets/<bucket>/<key>`, that speaks the few S3 requests the platform
 * makes — a PUT through a pre-signed URL (its SigV4 query signature, expiry, signed
 * `content-type` and exact `content-length` checked as S3 checks them), and GET / HEAD / DELETE
 * signed by the SDK with the local credentials — and stores each object the way S3 would: the
 * bytes whole, with their type, under the bucket and key (files under `.local/buckets/`, or in
 * memory with `--in-memory`). The handlers reach it through the ordinary S3 client
 * (`S3_ENDPOINT`, path-style), so the same adapter code runs locally and in the cloud.
 */
export const OBJECT_ROUTE_PREFIX = "/_buckets/";

const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

type Bytes = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Bytes): string | Uint8Array =>
  typeof data === "string"
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** node:crypto as the signer's SHA-256 (plain and keyed). */
class Sha256 {
  private readonly hash;
  constructor(secret?: Bytes) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: Bytes): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

interface StoredObject {
  body: Buffer;
  contentType: string;
}

export interface ObjectRoute {
  /** The URL the handlers' S3 client is pointed at (`S3_ENDPOINT`). */
  readonly endpoint: string;
  /** Answers the request if it is for the object route; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean>;
}

export function objectRoute(options: {
  /** The API server's base URL. */
  baseUrl: () => string;
  /** Buckets the stack provides (by name). */
  buckets: readonly string[];
  /** Where objects are kept; undefined: in memory. */
  dataDir?: string;
}): ObjectRoute {
  const memory = new Map<string, StoredObject>();
  const signer = new SignatureV4({
    credentials: CREDENTIALS,
    region: LOCAL_REGION,
    service: "s3",
    sha256: Sha256,
    uriEscapePath: false,
  });
  const file = (bucket: string, key: string) =>
    join(options.dataDir!, encodeURIComponent(bucket), encodeURIComponent(key));
  const store = {
    put(bucket: string, key: string, object: StoredObject) {
      if (!options.dataDir) return void memory.set(`${bucket}/${key}`, object);
      const path = file(bucket, key);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.part`, object.body);
      writeFileSync(`${path}.type`, object.contentType);
      renameSync(`${path}.part`, path);
    },
    get(bucket: string, key: string): StoredObject | undefined {
      if (!options.dataDir) return memory.get(`${bucket}/${key}`);
      const path = file(bucket, key);
      try {
        statSync(path);
      } catch {
        return undefined;
      }
      return { body: readFileSync(path), contentType: readFileSync(`${path}.type`, "utf8") };
    },
  };

  async function presignedPutIsValid(
    req: IncomingMessage,
    url: URL,
    body: Buffer,
  ): Promise<string | undefined> {
    const q = url.searchParams;
    if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") return "not a pre-signed request";
    const date = q.get("X-Amz-Date") ?? "";
    const expires = Number(q.get("X-Amz-Expires"));
    const signedAt = Date.parse(
      date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
    );
    if (!Number.isFinite(signedAt) || !Number.isFinite(expires)) return "malformed signature";
    if (Date.now() > signedAt + expires * 1000) return "the URL has expired";
    const signed = (q.get("X-Amz-SignedHeaders") ?? "").split(";");
    const headers: Record<string, string> = {};
    for (const name of signed) {
      const value = req.headers[name];
      if (typeof value !== "string") return `the signed header ${name} is missing`;
      headers[name] = value;
    }
    if (signed.includes("content-length") && Number(headers["content-length"]) !== body.length)
      return "the body's length is not the signed one";
    const query: Record<string, string> = {};
    for (const [name, value] of q) if (name !== "X-Amz-Signature") query[name] = value;
    // The payload hash S3 signs (UNSIGNED-PAYLOAD for a pre-signed PUT) travels in the query;
    // the signer reads it from this header, which is neither signed nor hoisted.
    const payload = query["X-Amz-Content-Sha256"];
    const payloadHeader: Record<string, string> =
      payload === undefined ? {} : { "x-amz-content-sha256": payload };
    const expected = await signer.presign(
      {
        method: "PUT",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query,
        headers: { ...headers, ...payloadHeader },
      },
      {
        signingDate: new Date(signedAt),
        expiresIn: expires,
        signableHeaders: new Set(signed.filter((h) => h !== "host")),
        unsignableHeaders: new Set(["x-amz-content-sha256"]),
        unhoistableHeaders: new Set(["x-amz-content-sha256"]),
      },
    );
    return expected.query?.["X-Amz-Signature"] === q.get("X-Amz-Signature")
      ? undefined
      : "the signature does not match";
  }

  const s3Error = (res: ServerResponse, status: number, code: string, message: string) => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    res.writeHead(status, {
      "content-type": "application/xml",
      "content-length": Buffer.byteLength(xml),
    });
    res.end(xml);
  };

  return {
    get endpoint() {
      return `${options.baseUrl()}${OBJECT_ROUTE_PREFIX.slice(0, -1)}`;
    },
    async handle(req, res, body) {
      const url = new URL(req.url ?? "/", options.baseUrl());
      if (!url.pathname.startsWith(OBJECT_ROUTE_PREFIX)) return false;
      const [bucket, ...rest] = url.pathname.slice(OBJECT_ROUTE_PREFIX.length).split("/");
      const key = decodeURIComponent(rest.join("/"));
      if (!bucket || !options.buckets.includes(bucket) || key === "") {
        s3Error(res, 404, "NoSuchBucket", "The specified bucket does not exist");
        return true;
      }
      const method = (req.method ?? "GET").toUpperCase();
      if (method === "PUT") {
        const refused = await presignedPutIsValid(req, url, body);
        if (refused) {
          s3Error(res, 403, "SignatureDoesNotMatch", refused);
          return true;
        }
        store.put(bucket, key, {
          body,
          contentType: String(req.headers["content-type"] ?? "application/octet-stream"),
        });
        res.writeHead(200, { etag: `"${createHash("md5").update(body).digest("hex")}"` });
        res.end();
        return true;
      }
      if (method !== "GET" && method !== "HEAD") {
        s3Error(res, 405, "MethodNotAllowed", "The method is not allowed");
        return true;
      }
      if (
        !String(req.headers.authorization ?? "").includes(`Credential=${CREDENTIALS.accessKeyId}/`)
      ) {
        s3Error(res, 403, "AccessDenied", "Access Denied");
        return true;
      }
      const object = store.get(bucket, key);
      if (!object) {
        s3Error(res, 404, "NoSuchKey", "The specified key does not exist.");
        return true;
      }
      res.writeHead(200, {
        "content-type": object.contentType,
        "content-length": String(object.body.length),
      });
      res.end(method === "HEAD" ? undefined : object.body);
      return true;
    },
  };
}
