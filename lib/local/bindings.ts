import { CONSUMERS, type Consumer } from "../../functions/events/consumers";
import { AUTHORIZER, ROUTES, type Route } from "../../functions/http/routes";
import { GRANT_KINDS, GRANT_VARIABLES, type GrantKind, type Grants } from "../../functions/wiring";
import { WORKFLOWS, type Workflow } from "../../functions/workflow/workflows";

/**
 * What the local stack runs, read from the same tables as the CDK app (ROUTES, WORKFLOWS,
 * CONSUMERS), and how it provides each grant kind of `functions/wiring.ts`: the same variables
 * the cloud sets, pointing at the local counterpart (DynamoDB Local, its stream, the local Step
 * Functions endpoint, the object route for buckets). A kind with no local counterpart on this
 * machine says so, and a row that needs it stops the local stack from starting. `test/infra/cloud-and-local.test.ts` compares
 * this plan with the synthesized template.
 */
export interface LocalPlan {
  readonly routes: readonly Route[];
  readonly workflows: readonly Workflow[];
  readonly consumers: readonly Consumer[];
  /** Every grant of every function the stack runs. */
  readonly grants: readonly Grants[];
}

export function localPlan(extra: {
  routes?: readonly Route[];
  workflows?: readonly Workflow[];
  consumers?: readonly Consumer[];
}): LocalPlan {
  const routes = [...ROUTES, ...(extra.routes ?? [])];
  const workflows = [...WORKFLOWS, ...(extra.workflows ?? [])];
  const consumers = [...CONSUMERS, ...(extra.consumers ?? [])];
  return {
    routes,
    workflows,
    consumers,
    grants: [
      AUTHORIZER.grants,
      ...routes.map((route) => route.grants),
      ...workflows.flatMap((workflow) => workflow.tasks.map((task) => task.grants)),
      ...consumers.map((consumer) =>
        consumer.trigger.kind === "stream"
          ? { ...consumer.grants, stream: "read" as const }
          : consumer.grants,
      ),
    ],
  };
}

/** The local resources a grant can point at. */
export interface LocalResources {
  readonly tableName: string;
  readonly streamArn: string;
  /** The workflows the stack runs, and each one's local state machine ARN by id. */
  readonly workflows: readonly Workflow[];
  readonly stateMachineArns: Readonly<Record<string, string>>;
  /** Bucket id → the local bucket's name (served by the object route, `object-route.ts`). */
  readonly buckets?: Readonly<Record<string, string>>;
  /** Topic id → its ARN on the local SNS endpoint. */
  readonly topicArns: Readonly<Record<string, string>>;
}

/** The local name of a bucket a grant names by id (`MeterUploads` → `bitrader-meter-uploads`). */
export function localBucketName(id: string): string {
  return `bitrader-${id.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}`;
}

type Provider = (resources: LocalResources, id: string) => Record<string, string>;

/**
 * Each grant kind locally: the variables it sets, or why this machine has no counterpart. The
 * names are the ones `functions/wiring.ts` gives the cloud.
 */
export const LOCAL_GRANTS: Readonly<
  Record<GrantKind, Provider | { readonly unavailable: string }>
> = {
  table: (r) => ({ [GRANT_VARIABLES.table()[0]!]: r.tableName }),
  stream: (r) => ({ [GRANT_VARIABLES.stream()[0]!]: r.streamArn }),
  workflow: (r, id) => {
    const workflow = r.workflows.find((w) => w.id === id);
    const arn = r.stateMachineArns[id];
    if (workflow === undefined || arn === undefined)
      throw new Error(`a grant names workflow ${id}, which the local stack does not run`);
    return { [workflow.arnVariable]: arn };
  },
  bucket: (r, id) => {
    const name = r.buckets?.[id];
    if (name === undefined)
      throw new Error(`a grant names bucket ${id}, which the local stack does not provide`);
    return { [GRANT_VARIABLES.bucket(id)[0]!]: name };
  },
  queue: { unavailable: "no local SQS endpoint is part of the local stack yet" },
  schedule: {
    unavailable: "no local EventBridge Scheduler endpoint is part of the local stack yet",
  },
  topic: (r, id) => {
    const arn = r.topicArns[id];
    if (arn === undefined)
      throw new Error(`a grant names topic ${id}, which the local stack has not`);
    return { [GRANT_VARIABLES.topic(id)[0]!]: arn };
  },
  // A key file under the data directory stands in for the KMS key (LOCAL_KEY_DIR, set by the
  // local stack); the variable names the key as the cloud's does.
  key: (_r, id) => ({
    [GRANT_VARIABLES.key(id)[0]!]: `arn:aws:kms:eu-west-2:000000000000:key/local-${id}`,
  }),
};

/** The grant kinds and resource ids a set of grants names. */
export function grantedResources(grants: readonly Grants[]): { kind: GrantKind; id: string }[] {
  const found = new Map<string, { kind: GrantKind; id: string }>();
  for (const grant of grants)
    for (const kind of Object.keys(GRANT_KINDS) as GrantKind[]) {
      const value = grant[kind];
      if (value === undefined) continue;
      const ids = typeof value === "string" ? [""] : Object.keys(value);
      for (const id of ids) found.set(`${kind}:${id}`, { kind, id });
    }
  return [...found.values()];
}

/**
 * The environment the local stack sets for its handlers (they share one process): every
 * variable the plan's grants need. Throws, naming the kind, when a grant has no local provider.
 */
export function localEnvironment(
  plan: LocalPlan,
  resources: LocalResources,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { kind, id } of grantedResources(plan.grants)) {
    const provider = LOCAL_GRANTS[kind];
    if (typeof provider !== "function")
      throw new Error(`the local stack cannot provide a ${kind} grant: ${provider.unavailable}`);
    Object.assign(env, provider(resources, id));
  }
  return env;
}
