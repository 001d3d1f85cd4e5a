/** A synthesized template's resources, as the infra tests read them. */
export type TemplateResources = Record<string, { Type: string; Properties: any }>;

const statementsOfPolicy = (document: { Statement: unknown[] }) => document.Statement;

/**
 * Every statement a role is granted: the inline policies of the role itself (where the market
 * functions keep their grants, D-230) and any AWS::IAM::Policy attached to it.
 */
export function roleStatements<S = any>(resources: TemplateResources, roleId: string): S[] {
  const inline = (resources[roleId]?.Properties?.Policies ?? []).flatMap(
    (policy: { PolicyDocument: { Statement: unknown[] } }) =>
      statementsOfPolicy(policy.PolicyDocument),
  );
  const attached = Object.values(resources)
    .filter((resource) => resource.Type === "AWS::IAM::Policy")
    .filter((policy) =>
      (policy.Properties.Roles ?? []).some((role: { Ref?: string }) => role.Ref === roleId),
    )
    .flatMap((policy) => statementsOfPolicy(policy.Properties.PolicyDocument));
  return [...inline, ...attached] as S[];
}

/** Every statement of every role's inline policies and of every AWS::IAM::Policy. */
export function allStatements<S = any>(resources: TemplateResources): S[] {
  return Object.entries(resources).flatMap(([id, resource]) =>
    resource.Type === "AWS::IAM::Role"
      ? (resources[id]!.Properties?.Policies ?? []).flatMap(
          (policy: { PolicyDocument: { Statement: unknown[] } }) =>
            statementsOfPolicy(policy.PolicyDocument),
        )
      : resource.Type === "AWS::IAM::Policy"
        ? statementsOfPolicy(resource.Properties.PolicyDocument)
        : [],
  ) as S[];
}
