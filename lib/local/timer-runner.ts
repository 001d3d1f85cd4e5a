import { randomUUID } from "node:crypto";
import type { ScheduledEvent } from "aws-lambda";
import type { Consumer, ScheduleTrigger } from "../../functions/events/consumers";
import { type LambdaHandler, LOCAL_ACCOUNT, LOCAL_REGION, lambdaContext } from "./lambda-context";

/**
 * The local runner of a schedule CONSUMER: a timer on the row's rate that invokes the handler
 * with the event an EventBridge rule gives it (`ScheduledEvent`). A run still going when the
 * next is due makes the timer skip that tick (logged), rather than pile runs up.
 */
export interface TimerRunnerOptions {
  readonly consumer: Consumer & { readonly trigger: ScheduleTrigger };
  readonly handler: LambdaHandler<ScheduledEvent, unknown>;
  /** Instead of the row's rate (tests). */
  readonly everyMs?: number;
  readonly log: (message: string) => void;
}

export class LocalTimer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: TimerRunnerOptions) {}

  async start(): Promise<void> {
    const everyMs = this.options.everyMs ?? this.options.consumer.trigger.everyMinutes * 60_000;
    this.timer ??= setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    const { consumer } = this.options;
    if (this.running) {
      this.options.log(`${consumer.id}: still running; this tick is skipped`);
      return;
    }
    this.running = this.options
      .handler(scheduledEvent(consumer.id), lambdaContext(`bitrader-${consumer.id}`))
      .then(
        () => undefined,
        (error: unknown) =>
          this.options.log(
            `${consumer.id}: handler failed (${error instanceof Error ? error.message : String(error)})`,
          ),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}

/** What an EventBridge schedule rule sends a Lambda target. */
function scheduledEvent(consumerId: string): ScheduledEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: LOCAL_ACCOUNT,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/bitrader-${consumerId}`],
    detail: {},
  };
}
