import { ungrantedClass } from "./ungranted";

/** `@aws-sdk/client-kms` in the bundle of a function without a key grant. */
export const KMSClient = ungrantedClass("KMSClient", "key");
export const DecryptCommand = ungrantedClass("DecryptCommand", "key");
export const GenerateDataKeyCommand = ungrantedClass("GenerateDataKeyCommand", "key");
