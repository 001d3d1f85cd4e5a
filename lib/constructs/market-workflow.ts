import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import {
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import {
  DAY_AHEAD_CYCLE,
  type Workflow,
  type WorkflowTask,
} from "../../functions/workflow/workflows";
import { aslPlaceholders } from "../asl-placeholders";
import { REPO_ROOT } from "../repo-root";
import { type GrantResources, MarketFunction } from "./market-function";

export interface MarketWorkflowProps {
  /**
   * The WORKFLOWS row: its ASL file and its task table.
   * @default the DayAheadCycle row
   */
  readonly workflow?: Workflow;
  /**
   * The ASL file, relative to the repository root. JSONPath only; every `${…}` placeholder must
   * be a task's `substitution` and every task's substitution must appear.
   * @default the row's definitionFile
   */
  readonly definitionFile?: string;
  /** @default the row's tasks */
  readonly tasks?: readonly WorkflowTask[];
  /** What the tasks' grants name (the table, other workflows, …). @default none */
  readonly resources?: GrantResources;
  /**
   * Per-task Lambda timeout; at most the ASL's own 60 s task timeout.
   * @default Duration.seconds(50)
   */
  readonly taskTimeout?: Duration;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** @default a name CloudFormation generates */
  readonly stateMachineName?: string;
}

/** The ASL's per-Task `TimeoutSeconds`; a Lambda must give up before the state does. */
const ASL_TASK_TIMEOUT = Duration.seconds(60);

/**
 * One WORKFLOWS row: a Standard state machine from its ASL file (`DefinitionBody.fromFile` +
 * `definitionSubstitutions`), one MarketFunction per task, the state machine allowed to invoke
 * exactly those functions, logging ALL and X-Ray tracing.
 */
export class MarketWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  /** Task state name → its function. */
  readonly functions: Readonly<Record<string, MarketFunction>>;

  constructor(scope: Construct, id: string, props: MarketWorkflowProps = {}) {
    super(scope, id);
    const workflow = props.workflow ?? DAY_AHEAD_CYCLE;
    const definitionFile = props.definitionFile ?? workflow.definitionFile;
    const tasks = props.tasks ?? workflow.tasks;
    const taskTimeout = props.taskTimeout ?? Duration.seconds(50);
    if (taskTimeout.toSeconds() >= ASL_TASK_TIMEOUT.toSeconds()) {
      throw new Error(
        `MarketWorkflow: taskTimeout must be under the ASL's ${ASL_TASK_TIMEOUT.toSeconds()} s`,
      );
    }
    const path = join(REPO_ROOT, definitionFile);
    checkPlaceholders(readFileSync(path, "utf8"), tasks);

    const functions: Record<string, MarketFunction> = {};
    for (const task of tasks) {
      functions[task.state] = new MarketFunction(this, task.state, {
        entry: task.entry,
        grants: task.grants,
        description: `BiTraDER ${workflow.id} step ${task.state}`,
        timeout: taskTimeout,
      }).grant(task.grants, props.resources ?? {});
    }
    this.functions = functions;

    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineType: StateMachineType.STANDARD,
      ...(props.stateMachineName === undefined ? {} : { stateMachineName: props.stateMachineName }),
      definitionBody: DefinitionBody.fromFile(path),
      definitionSubstitutions: Object.fromEntries(
        tasks.map((task) => [task.substitution, functions[task.state]!.function.functionArn]),
      ),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, "Logs", {
          retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    Validations.of(this.stateMachine).acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
      reason:
        "CloudWatch Logs vended delivery (logs:CreateLogDelivery and friends) and X-Ray tracing support no resource-level permissions; Lambda invocation is granted on the task functions' ARNs only.",
    });
    // Exactly these functions, unqualified ARNs only (the ASL invokes them unqualified).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ["lambda:InvokeFunction"],
        resources: tasks.map((task) => functions[task.state]!.function.functionArn),
      }),
    );
  }
}

function checkPlaceholders(aslText: string, tasks: readonly WorkflowTask[]): void {
  const inAsl = aslPlaceholders(aslText);
  const inTasks = tasks.map((task) => task.substitution).sort();
  const unknown = inAsl.filter((name) => !inTasks.includes(name));
  const unused = inTasks.filter((name) => !inAsl.includes(name));
  if (unknown.length > 0 || unused.length > 0) {
    throw new Error(
      `MarketWorkflow: ASL placeholders and tasks differ (no task: ${unknown.join(", ") || "-"}; not in ASL: ${unused.join(", ") || "-"})`,
    );
  }
}
