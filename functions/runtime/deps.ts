import { ApiKeyRepository } from "../adapters/api-key-repository";
import { dynamoDocumentClient } from "./clients";
import { required } from "./env";

/**
 * Composition root: the adapters the handlers use, built lazily once per execution environment
 * so that a function only needs the environment of what it actually touches.
 */
export interface Deps {
  readonly apiKeys: ApiKeyRepository;
}

let apiKeys: ApiKeyRepository | undefined;

export const deps: Deps = {
  get apiKeys() {
    apiKeys ??= new ApiKeyRepository(dynamoDocumentClient(), required("TABLE_NAME"));
    return apiKeys;
  },
};
