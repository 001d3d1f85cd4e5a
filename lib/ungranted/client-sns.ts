import { ungrantedClass } from "./ungranted";

/** `@aws-sdk/client-sns` in the bundle of a function without a topic grant. */
export const SNSClient = ungrantedClass("SNSClient", "topic");
export const PublishCommand = ungrantedClass("PublishCommand", "topic");
