import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { UploadBucket } from "../core/ports";

/**
 * The meter upload bucket through the S3 API: pre-signed PUT URLs that fix the object's type and
 * exact length (S3 refuses any other), and objects read back as streams. The same code serves
 * the local stack, whose object route speaks the same S3 requests (path-style, signed).
 */
export class S3UploadBucket implements UploadBucket {
  constructor(
    private readonly client: S3Client,
    private readonly bucketName: string,
  ) {}

  async uploadUrl(
    key: string,
    contentType: string,
    contentLength: number,
    expiresInSeconds: number,
  ): Promise<{ url: string; headers: Record<string, string> }> {
    const url = await getSignedUrl(
      this.client,
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        ContentType: contentType,
        ContentLength: contentLength,
      }),
      { expiresIn: expiresInSeconds, signableHeaders: new Set(["content-type", "content-length"]) },
    );
    return {
      url,
      headers: { "content-type": contentType, "content-length": String(contentLength) },
    };
  }

  async read(
    key: string,
  ): Promise<{ body: AsyncIterable<Uint8Array>; contentLength: number } | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucketName, Key: key }),
      );
      if (!object.Body) return undefined;
      return {
        body: object.Body as unknown as AsyncIterable<Uint8Array>,
        contentLength: Number(object.ContentLength ?? 0),
      };
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      if (name === "NoSuchKey" || name === "NotFound") return undefined;
      throw error;
    }
  }
}
