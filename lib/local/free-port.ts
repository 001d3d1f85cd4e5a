import { createServer } from "node:net";

/** A TCP port that was free a moment ago on 127.0.0.1 (for processes that cannot take port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolvePort(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}
