/**
 * Stand-ins for the AWS SDK clients a function is not granted (lib/bundling.ts): the bundle of a
 * function without a bucket grant gets these instead of the S3 client, and so on. Using one
 * fails at once with the grant that is missing — as the call would fail in the cloud anyway,
 * for want of the resource's variable and of the permission.
 */
function refusal(name: string, kind: string): Error {
  return new Error(`${name} is not in this function's bundle: it has no ${kind} grant`);
}

/** A class whose construction fails (a client or a command). */
export function ungrantedClass(name: string, kind: string) {
  return class {
    constructor() {
      throw refusal(name, kind);
    }
  };
}

/** A function that fails when called (a paginator, the pre-signer). */
export function ungrantedFunction(name: string, kind: string) {
  return (): never => {
    throw refusal(name, kind);
  };
}
