import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Alerts } from "../core/ports";

/**
 * The operator's alarm topic (D-135): the same SNS topic the CloudWatch alarms notify, so a
 * cycle that fell back reaches whoever is subscribed there. Locally the topic is the local SNS
 * endpoint's (`lib/local/sns-endpoint.ts`).
 */
export class AlertTopic implements Alerts {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async alert(subject: string, message: Record<string, unknown>): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        // SNS subjects: at most 100 printable ASCII characters.
        Subject: subject.replace(/[^\x20-\x7e]/g, "?").slice(0, 100),
        Message: JSON.stringify(message, null, 2),
      }),
    );
  }
}
