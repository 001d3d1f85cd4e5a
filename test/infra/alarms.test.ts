import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { CONSUMERS } from "../../functions/events/consumers";
import { ROUTES } from "../../functions/http/routes";
import { WORKFLOWS } from "../../functions/workflow/workflows";
import { marketTemplates, parameterOf } from "../support/cdk-app";

const { market, alarms: nested, workflows, stacks } = marketTemplates();
/** What the market stack passes the alarms stack's parameter (a workflow's from its stack). */
const passed = (parameter: string) =>
  parameterOf(market, stacks.market.alarmsStack, parameter, [
    { stack: stacks.market.workflowsStack, template: workflows },
  ]);
const alarms = nested.findResources("AWS::CloudWatch::Alarm");
const topics = market.findResources("AWS::SNS::Topic");
const topicId = Object.keys(topics)[0] as string;
const alarmList = Object.values(alarms).map((a) => a.Properties);
const byMetric = (namespace: string, metricName: string) =>
  alarmList.filter((a) => a.Namespace === namespace && a.MetricName === metricName);

describe("the operator's alarms", () => {
  it("notify one encrypted topic that refuses plain HTTP", () => {
    expect(Object.keys(topics)).toHaveLength(1);
    expect(topics[topicId]?.Properties.KmsMasterKeyId).toBeDefined();
    market.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
    // The topic reaches the nested alarms stack as one parameter, which every alarm notifies.
    const actions = new Set(alarmList.map((a) => JSON.stringify(a.AlarmActions)));
    expect(actions.size).toBe(1);
    const [action] = alarmList[0]?.AlarmActions ?? [];
    const parameter = String(action?.Ref);
    // Two nested stacks, the alarms' and the workflows' (D-154); the topic reaches the alarms'.
    const nestedStacks = Object.keys(market.findResources("AWS::CloudFormation::Stack"));
    expect(nestedStacks.sort()).toEqual(
      [stacks.market.alarmsStack, stacks.market.workflowsStack]
        .map((n) => stacks.market.getLogicalId(n.nestedStackResource as never))
        .sort(),
    );
    expect(passed(parameter)).toEqual({ Ref: topicId });
  });

  it("fire on the first occurrence in five minutes, and no traffic is no alarm", () => {
    for (const alarm of alarmList) {
      expect(alarm).toMatchObject({
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        EvaluationPeriods: 1,
        Period: 300,
        // A queue's depth is a level, not a count of events: its highest value in the period.
        Statistic: alarm.MetricName === "ApproximateNumberOfMessagesVisible" ? "Maximum" : "Sum",
        TreatMissingData: "notBreaching",
      });
    }
  });

  it("watch the dead-letter queue of each object-created consumer for a visible message (D-233)", () => {
    const objectConsumers = CONSUMERS.filter((c) => c.trigger.kind === "object-created");
    expect(objectConsumers.length).toBeGreaterThan(0);
    const found = byMetric("AWS/SQS", "ApproximateNumberOfMessagesVisible");
    expect(found).toHaveLength(objectConsumers.length);
    // Each queue's name reaches the nested alarms stack as a parameter.
    const watched = found.map((a) => {
      expect(a.Dimensions[0].Name).toBe("QueueName");
      return passed(String(a.Dimensions[0]?.Value?.Ref));
    });
    const queues = objectConsumers.map((c) => {
      const queue = stacks.market.consumers[c.id]?.deadLetterQueue;
      expect(queue, c.id).toBeDefined();
      return {
        "Fn::GetAtt": [stacks.market.getLogicalId(queue!.node.defaultChild as never), "QueueName"],
      };
    });
    expect(watched).toEqual(queues);
    for (const alarm of found) expect(alarm.AlarmActions).toEqual(alarmList[0]?.AlarmActions);
  });

  it("watch every workflow (the day-ahead cycle, the settlement run) for failed and timed-out executions", () => {
    // Each machine's ARN reaches the nested alarms stack as a parameter, from the workflows'
    // nested stack's output (D-154): one alarm per machine.
    const machines = WORKFLOWS.map((w) => {
      const built = stacks.market.workflows[w.id];
      expect(built, w.id).toBeDefined();
      return {
        Ref: stacks.market.workflowsStack.getLogicalId(
          built!.stateMachine.node.defaultChild as never,
        ),
      };
    });
    for (const metric of ["ExecutionsFailed", "ExecutionsTimedOut"]) {
      const found = byMetric("AWS/States", metric);
      expect(found).toHaveLength(WORKFLOWS.length);
      for (const alarm of found) expect(alarm.Dimensions[0].Name).toBe("StateMachineArn");
      const watched = found.map((a) => passed(String(a.Dimensions[0]?.Value?.Ref)));
      expect(watched).toEqual(expect.arrayContaining(machines));
      expect(new Set(watched.map((m) => JSON.stringify(m))).size).toBe(WORKFLOWS.length);
    }
  });

  it("watch errors and throttles of every function: each route, the authorizer, each task and each consumer", () => {
    const expected =
      ROUTES.length + 1 + WORKFLOWS.reduce((n, w) => n + w.tasks.length, 0) + CONSUMERS.length;
    for (const metric of ["Errors", "Throttles"]) {
      const found = byMetric("AWS/Lambda", metric);
      expect(found).toHaveLength(expected);
      const functions = new Set(found.map((a) => JSON.stringify(a.Dimensions)));
      expect(functions.size).toBe(expected);
    }
  });

  it("watch DynamoDB throttling of the table and 5xx answers of the API", () => {
    expect(byMetric("AWS/DynamoDB", "ReadThrottleEvents")).toHaveLength(1);
    expect(byMetric("AWS/DynamoDB", "WriteThrottleEvents")).toHaveLength(1);
    const api5xx = byMetric("AWS/ApiGateway", "5XXError");
    expect(api5xx).toHaveLength(1);
    expect(api5xx[0]?.Dimensions).toEqual(
      expect.arrayContaining([{ Name: "Stage", Value: expect.anything() }]),
    );
  });

  it("are shown on one dashboard", () => {
    expect(Object.keys(nested.findResources("AWS::CloudWatch::Dashboard"))).toHaveLength(1);
  });
});
