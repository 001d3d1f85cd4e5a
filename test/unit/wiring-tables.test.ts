import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONSUMERS } from "../../functions/events/consumers";
import { AUTHORIZER, ROUTES } from "../../functions/http/routes";
import { GRANT_KINDS, type Grants } from "../../functions/wiring";
import { WORKFLOWS } from "../../functions/workflow/workflows";
import { aslPlaceholders } from "../../lib/asl-placeholders";
import { REPO_ROOT } from "../../lib/repo-root";

const kebab = (id: string) =>
  id
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();

describe("the route table", () => {
  it.each(ROUTES.map((route) => [route.id, route] as const))(
    "%s names its handler file after itself, and the file exists",
    (id, route) => {
      expect(basename(route.entry)).toBe(`${kebab(id)}.ts`);
      expect(existsSync(join(REPO_ROOT, route.entry))).toBe(true);
    },
  );

  it("has unique ids and unique method + path pairs", () => {
    expect(new Set(ROUTES.map((route) => route.id)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((route) => `${route.method} ${route.path}`)).size).toBe(
      ROUTES.length,
    );
  });

  it("serves GET /health and GET /openapi.json without a key", () => {
    const publicRoutes = ROUTES.filter((route) => route.roles === "none").map(
      (route) => `${route.method} ${route.path}`,
    );
    expect(publicRoutes).toEqual(expect.arrayContaining(["GET /health", "GET /openapi.json"]));
  });

  it("points the authorizer at an existing handler", () => {
    expect(existsSync(join(REPO_ROOT, AUTHORIZER.entry))).toBe(true);
  });
});

describe.each(WORKFLOWS.map((workflow) => [workflow.id, workflow] as const))(
  "the task table of %s",
  (_, WORKFLOW) => {
    const TASKS = WORKFLOW.tasks;
    const asl = readFileSync(join(REPO_ROOT, WORKFLOW.definitionFile), "utf8");
    const definition = JSON.parse(asl) as { States: Record<string, AslState> };
    const states = allStates(definition.States);

    it("has a placeholder in the ASL for every task, and a task for every placeholder", () => {
      expect(aslPlaceholders(asl)).toEqual(TASKS.map((task) => task.substitution).sort());
    });

    it.each(TASKS.map((task) => [task.state, task] as const))(
      "%s is a Task state of the ASL with a handler file named after it",
      (state, task) => {
        expect(states[state]?.Type).toBe("Task");
        expect(basename(task.entry)).toBe(`${kebab(state)}.ts`);
        expect(existsSync(join(REPO_ROOT, task.entry))).toBe(true);
      },
    );

    it("covers every Task state of the ASL", () => {
      const taskStates = Object.entries(states)
        .filter(([, state]) => state.Type === "Task")
        .map(([name]) => name)
        .sort();
      expect(taskStates).toEqual(TASKS.map((task) => task.state).sort());
    });

    it("uses JSONPath only (no JSONata, Assign or Output, which the local runner ignores)", () => {
      expect(asl).not.toMatch(/"QueryLanguage"|"Assign"|"Output"|"Arguments"|\{%/);
    });
  },
);

describe("the workflow and consumer tables", () => {
  it("have unique ids and names, workflows first among equals: the day-ahead cycle", () => {
    expect(WORKFLOWS[0]?.id).toBe("DayAheadCycle");
    expect(new Set(WORKFLOWS.map((w) => w.id)).size).toBe(WORKFLOWS.length);
    expect(new Set(WORKFLOWS.map((w) => w.name)).size).toBe(WORKFLOWS.length);
    expect(new Set(WORKFLOWS.map((w) => w.arnVariable)).size).toBe(WORKFLOWS.length);
    expect(new Set(CONSUMERS.map((c) => c.id)).size).toBe(CONSUMERS.length);
  });

  it.each(CONSUMERS.map((consumer) => [consumer.id, consumer] as const))(
    "consumer %s names its handler file after itself, and the file exists",
    (id, consumer) => {
      expect(consumer.entry).toBe(`functions/events/handlers/${kebab(id)}.ts`);
      expect(existsSync(join(REPO_ROOT, consumer.entry))).toBe(true);
    },
  );
});

describe("the grants of every row", () => {
  const rows: [string, Grants][] = [
    [AUTHORIZER.id, AUTHORIZER.grants],
    ...ROUTES.map((route) => [route.id, route.grants] as [string, Grants]),
    ...WORKFLOWS.flatMap((workflow) =>
      workflow.tasks.map(
        (task) => [`${workflow.id}.${task.state}`, task.grants] as [string, Grants],
      ),
    ),
    ...CONSUMERS.map((consumer) => [consumer.id, consumer.grants] as [string, Grants]),
  ];

  it.each(rows)(
    "%s grants only kinds and levels of the grant table, and existing workflows",
    (_, grants) => {
      for (const [kind, value] of Object.entries(grants)) {
        const levels = GRANT_KINDS[kind as keyof typeof GRANT_KINDS] as
          | readonly string[]
          | undefined;
        expect(levels, kind).toBeDefined();
        const granted = typeof value === "string" ? [value] : Object.values(value as object);
        for (const level of granted) expect(levels).toContain(level);
        if (kind === "workflow")
          for (const id of Object.keys(value as object))
            expect(WORKFLOWS.map((w) => w.id)).toContain(id);
      }
    },
  );
});

interface AslState {
  Type: string;
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
}

/** Every state of a definition by name, those inside Map and Parallel states included. */
function allStates(states: Record<string, AslState>): Record<string, AslState> {
  const out: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(states)) {
    out[name] = state;
    const inner = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])];
    for (const machine of inner) if (machine) Object.assign(out, allStates(machine.States));
  }
  return out;
}
