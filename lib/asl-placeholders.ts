/**
 * `${Name}` placeholders of an ASL definition, as `DefinitionBody.fromFile` +
 * `definitionSubstitutions` resolve them in the cloud and the local runner resolves them locally.
 */
const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The distinct placeholder names in an ASL text, sorted. */
export function aslPlaceholders(aslText: string): string[] {
  return [...new Set([...aslText.matchAll(PLACEHOLDER)].map((match) => match[1]!))].sort();
}

/** Replaces every placeholder; throws on one without a value, so nothing reaches a run half-done. */
export function substituteAsl(aslText: string, values: Readonly<Record<string, string>>): string {
  return aslText.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no substitution for \${${name}}`);
    return value;
  });
}
