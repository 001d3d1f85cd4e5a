/**
 * What every Lambda bundle takes instead of `@aws-sdk/credential-provider-node` (lib/bundling.ts,
 * D-129): the SDK clients' default credentials read from the environment only.
 *
 * Lambda hands a function its execution role's credentials in `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, which is the first source the SDK's default
 * chain tries and the one it takes there. The rest of the chain (SSO and its token clients, STS
 * web identity, shared ini files, credential processes, the container and instance metadata
 * endpoints: 136 KB of a minified bundle) is never reached in Lambda, so it stays out of the bundle.
 * Without the variables the first call fails naming them (`CredentialsProviderError`), as
 * the chain would after trying the rest. The local stack and the tests run the sources with the
 * whole chain.
 */
import { fromEnv } from "@aws-sdk/credential-provider-env";

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
