import { ApiKeyRepository } from "../adapters/api-key-repository";
import { WorkflowExecutions } from "../adapters/workflow-executions";
import { dynamoDocumentClient, sfnClient } from "./clients";
import { required } from "./env";

/**
 * Composition root: the adapters the handlers use, built lazily once per execution environment
 * so that a function only needs the environment of what it actually touches.
 */
export interface Deps {
  readonly apiKeys: ApiKeyRepository;
  readonly workflow: WorkflowExecutions;
}

let apiKeys: ApiKeyRepository | undefined;
let workflow: WorkflowExecutions | undefined;

export const deps: Deps = {
  get apiKeys() {
    apiKeys ??= new ApiKeyRepository(dynamoDocumentClient(), required("TABLE_NAME"));
    return apiKeys;
  },
  get workflow() {
    workflow ??= new WorkflowExecutions(sfnClient(), required("STATE_MACHINE_ARN"));
    return workflow;
  },
};
