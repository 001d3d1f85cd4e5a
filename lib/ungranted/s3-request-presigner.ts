import { ungrantedFunction } from "./ungranted";

/** `@aws-sdk/s3-request-presigner` in the bundle of a function without a bucket grant. */
export const getSignedUrl = ungrantedFunction("getSignedUrl", "bucket");
