/**
 * The load generator of the `api` section, run by bench/api.ts as its own process so that it does
 * not share an event loop with the API it measures. Reads its plan as JSON from stdin; sends
 * POST /orders (rotating through the prepared bodies) and GET /health at the same fixed rate at
 * the same time with autocannon, bounded in time; prints both results as JSON on stdout.
 */
import autocannon, { type Result } from "autocannon";

interface Plan {
  url: string;
  rate: number;
  seconds: number;
  orders: { key: string; body: string }[];
}

async function readPlan(): Promise<Plan> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Plan;
}

function summary(result: Result) {
  return {
    requests: result.requests.total,
    rate: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

const plan = await readPlan();
let next = 0;
// A fixed number of requests at a fixed rate; a hard stop at three times the planned time keeps
// the run bounded when the API cannot keep up (unsent requests then show in `requests`).
const common = {
  url: plan.url,
  amount: plan.rate * plan.seconds,
  overallRate: plan.rate,
  // One request a second per connection: autocannon splits the rate over the connections, and a
  // connection waits for its answer, so this keeps the asked rate while answers take up to 1 s.
  // The connections' timers start together, so requests go out in a burst at each second.
  connections: plan.rate,
  // Latency as measured per response: autocannon's correction for a fixed rate assumes 1 ms
  // between requests at any rate ≥ 1/s and would fill the histogram with made-up slow samples.
  ignoreCoordinatedOmission: true,
  timeout: 10,
};
function bounded(options: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result);
    });
    const timer = setTimeout(() => instance.stop(), plan.seconds * 3_000 + 10_000);
  });
}
const [orders, health] = await Promise.all([
  bounded({
    ...common,
    requests: [
      {
        method: "POST",
        path: "/orders",
        setupRequest: (request) => {
          const order = plan.orders[next++ % plan.orders.length]!;
          return {
            ...request,
            headers: { "content-type": "application/json", "x-api-key": order.key },
            body: order.body,
          };
        },
      },
    ],
  }),
  bounded({ ...common, requests: [{ method: "GET", path: "/health" }] }),
]);
process.stdout.write(`${JSON.stringify({ orders: summary(orders), health: summary(health) })}\n`);
