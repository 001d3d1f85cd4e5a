import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "./lambda-context";

/** One message published to a local topic. */
export interface LocalAlert {
  readonly topicArn: string;
  readonly subject: string | undefined;
  readonly message: string;
  readonly at: string;
}

/**
 * The local stand-in for the operator's alarm topic (D-135): the one SNS call the platform makes,
 * `Publish` (AWS Query protocol, as `@aws-sdk/client-sns` sends it), served on 127.0.0.1. Each
 * message is written to stderr as `[alerts] <subject>` and kept in memory for tests; nothing is
 * delivered anywhere, as no subscriber exists on one machine. Any other action is refused.
 */
export class LocalTopics {
  readonly published: LocalAlert[] = [];
  private server: Server | undefined;

  constructor(
    private readonly log: (line: string) => void = (line) => process.stderr.write(line),
  ) {}

  /** The ARN of a local topic called `name`. */
  topicArn(name: string): string {
    return `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
        const requestId = randomUUID();
        res.setHeader("content-type", "text/xml");
        if (form.get("Action") !== "Publish" || !form.get("TopicArn") || !form.get("Message")) {
          res.statusCode = 400;
          res.end(
            `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>only Publish with TopicArn and Message is served locally</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
          );
          return;
        }
        const alert: LocalAlert = {
          topicArn: form.get("TopicArn")!,
          subject: form.get("Subject") ?? undefined,
          message: form.get("Message")!,
          at: new Date().toISOString(),
        };
        this.published.push(alert);
        this.log(`[alerts] ${alert.subject ?? "(no subject)"}: ${alert.message}\n`);
        const messageId = randomUUID();
        res.end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
        );
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
