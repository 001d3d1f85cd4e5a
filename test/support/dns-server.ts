import { createSocket, type Socket } from "node:dgram";
import type { AddressInfo } from "node:net";
import dnsPacket from "dns-packet";

/**
 * A DNS server on 127.0.0.1 for the tests, whose answers the test sets and changes (a name that
 * resolves to a public address at registration and to 10.0.0.1 at delivery: DNS rebinding).
 * Names it does not know get NXDOMAIN, so nothing in a test ever asks a resolver outside this
 * machine. The dispatcher is pointed at it with WEBHOOK_DNS_SERVERS (configuration, as a
 * deployment could set its own resolver).
 */
export class TestDns {
  private readonly answers = new Map<string, { a: string[]; aaaa: string[] }>();
  private socket: Socket | undefined;
  readonly queries: string[] = [];
  port = 0;

  async start(): Promise<this> {
    this.socket = createSocket("udp4");
    this.socket.on("message", (message, remote) => {
      let query: dnsPacket.Packet;
      try {
        query = dnsPacket.decode(message);
      } catch {
        return;
      }
      const question = query.questions?.[0];
      if (!question) return;
      const name = question.name.toLowerCase();
      this.queries.push(`${question.type} ${name}`);
      const known = this.answers.get(name);
      const data = known
        ? question.type === "AAAA"
          ? known.aaaa
          : question.type === "A"
            ? known.a
            : []
        : [];
      const answer = dnsPacket.encode({
        type: "response",
        id: query.id,
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3),
        questions: [question],
        answers: data.map((address) => ({
          type: question.type as "A",
          class: "IN" as const,
          name: question.name,
          ttl: 0,
          data: address,
        })),
      });
      this.socket?.send(answer, remote.port, remote.address);
    });
    await new Promise<void>((resolve) => this.socket!.bind(0, "127.0.0.1", resolve));
    this.port = (this.socket.address() as AddressInfo).port;
    return this;
  }

  /** Where the dispatcher should ask: `127.0.0.1:<port>`. */
  get server(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** From now on `name` resolves to these addresses (IPv4 and IPv6 mixed). */
  set(name: string, addresses: string[]): void {
    this.answers.set(name.toLowerCase(), {
      a: addresses.filter((a) => !a.includes(":")),
      aaaa: addresses.filter((a) => a.includes(":")),
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.socket ? this.socket.close(() => resolve()) : resolve(),
    );
  }
}
