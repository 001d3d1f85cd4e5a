import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DynamoDbLocalStartError, startDynamoDbLocal } from "../../../lib/local/dynamodb-local";

describe("DynamoDB Local names why it cannot start", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    server = undefined;
  });

  it("without a Java runtime on the search path, says that Java is missing", async () => {
    const start = startDynamoDbLocal({ inMemory: true, searchPath: "/nonexistent-bin" });
    await expect(start).rejects.toThrow(DynamoDbLocalStartError);
    await expect(start).rejects.toThrow(/no Java runtime found/);
  });

  it("with its port taken, names the port", async () => {
    const taken = createServer();
    server = taken;
    const port = await new Promise<number>((ready) =>
      taken.listen(0, "127.0.0.1", () => {
        const address = taken.address();
        ready(typeof address === "object" && address !== null ? address.port : 0);
      }),
    );
    await expect(startDynamoDbLocal({ inMemory: true, port })).rejects.toThrow(
      new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`),
    );
  });
});
