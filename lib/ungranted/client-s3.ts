import { ungrantedClass } from "./ungranted";

/** `@aws-sdk/client-s3` in the bundle of a function without a bucket grant. */
export const S3Client = ungrantedClass("S3Client", "bucket");
export const GetObjectCommand = ungrantedClass("GetObjectCommand", "bucket");
export const HeadObjectCommand = ungrantedClass("HeadObjectCommand", "bucket");
export const PutObjectCommand = ungrantedClass("PutObjectCommand", "bucket");
