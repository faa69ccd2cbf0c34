/**
 * The ingest HTTP service against baselines measured in the same run on the same box:
 *   1. batched POST /v1/batch (100 events each) events/s vs a raw kafkajs producer sending 100-message batches
 *      to the same broker (idempotent, acks=all, like the bus)                                    goal ≥ 0.5
 *   2. single-event POST /v1/track requests/s vs a bare Fastify server answering the same POST    goal ≥ 0.35
 * with p99 latencies. Servers run in child processes; load (autocannon) only against 127.0.0.1.
 *   npm run bench -- ingest-http [--seconds 10] [--connections 32]
 * Needs the broker (npm run kafka:start) and PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/cascade_test).
 */
import autocannon from "autocannon";
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Kafka, Partitioners, logLevel } from "kafkajs";
import { create, EventSchema, EventType, newEnvelope, renamedTopic, Topics } from "@cascade/contracts";
import { flag, report, timed } from "./_harness.js";

const seconds = flag("seconds", 10);
const connections = flag("connections", 32);
const BATCH = 100;
const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const run = randomBytes(4).toString("hex");

interface Server {
  url: string;
  writeKey: string;
  child: ChildProcess;
}

async function startServer(mode: "ingest" | "hello"): Promise<Server> {
  const child = fork(new URL("./_ingest-server.js", import.meta.url), [mode], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const ready = await new Promise<{ url: string; writeKey: string }>((resolve, reject) => {
    child.once("message", (message) => resolve(message as { url: string; writeKey: string }));
    child.once("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { ...ready, child };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.send("stop");
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** A Segment-style message; every one gets its own messageId, so de-duplication does real work. */
const message = (id: string, i: number): string =>
  JSON.stringify({
    type: "track",
    userId: `user-${i % 1000}`,
    event: "Product Viewed",
    messageId: id,
    properties: { sku: `sku-${i % 50}`, price: 19.99 },
  });

async function load(server: Server, path: string, body: (n: number) => string): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url: server.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path,
        headers: {
          "content-type": "application/json",
          authorization: `Basic ${Buffer.from(`${server.writeKey}:`).toString("base64")}`,
        },
        setupRequest: (request) => ({ ...request, body: body(n++) }),
      },
    ],
  });
}

/** Raw kafkajs: sequential 100-message sends (acks=all, idempotent) of the same events for `seconds`. */
async function rawKafka(): Promise<{ perSecond: number; p99: number }> {
  const topic = renamedTopic(Topics.EventsV1, `bench.ingest-raw.${run}`);
  const kafka = new Kafka({ clientId: "bench-ingest-raw", brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: topic.name, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const latencies: number[] = [];
  let sent = 0;
  const { seconds: elapsed } = await timed(async () => {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      const messages = Array.from({ length: BATCH }, (_, i) => {
        const event = create(EventSchema, {
          envelope: newEnvelope("bench"),
          type: EventType.TRACK,
          event: "Product Viewed",
          contactId: `user-${(sent + i) % 1000}`,
          userId: `user-${(sent + i) % 1000}`,
          messageId: `raw-${sent + i}`,
          properties: { sku: `sku-${i % 50}`, price: 19.99 },
        });
        return {
          key: topic.key(event),
          value: Buffer.from(topic.encode(event)),
          headers: { "message-id": topic.envelope(event).id },
        };
      });
      const started = performance.now();
      await producer.send({ topic: topic.name, messages, acks: -1 });
      latencies.push(performance.now() - started);
      sent += BATCH;
    }
  });
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic.name] }).catch(() => undefined);
  await admin.disconnect();
  latencies.sort((a, b) => a - b);
  return { perSecond: sent / elapsed, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

async function main(): Promise<void> {
  console.log(`ingest-http: ${seconds} s per measurement, ${connections} connections, batches of ${BATCH}`);
  const raw = await rawKafka();

  const hello = await startServer("hello");
  const helloResult = await load(hello, "/v1/track", () => JSON.stringify({ userId: "u", event: "e" }));
  await stopServer(hello);

  const ingest = await startServer("ingest");
  const batchResult = await load(ingest, "/v1/batch", (n) => {
    const messages = Array.from({ length: BATCH }, (_, i) => message(`${run}-b${n}-${i}`, n * BATCH + i));
    return `{"batch":[${messages.join(",")}]}`;
  });
  const singleResult = await load(ingest, "/v1/track", (n) => message(`${run}-s${n}`, n));
  await stopServer(ingest);

  for (const [name, result] of [
    ["hello", helloResult],
    ["ingest batch", batchResult],
    ["ingest single", singleResult],
  ] as const) {
    const failures = result.non2xx + result.errors + result.timeouts;
    if (failures > 0)
      console.log(`warning: ${name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  const batchEvents = (batchResult.requests.average - batchResult.non2xx / seconds) * BATCH;
  report("ingest HTTP vs baselines (same run, same box)", [
    {
      what: "batched events/s (100 a request) vs raw kafkajs msgs/s",
      subject: { name: "ingest", value: batchEvents, unit: "events/s" },
      baseline: { name: "kafkajs", value: raw.perSecond, unit: "msgs/s" },
      goal: 0.5,
    },
    {
      what: "single-event requests/s vs bare Fastify",
      subject: { name: "ingest", value: singleResult.requests.average - singleResult.non2xx / seconds, unit: "req/s" },
      baseline: { name: "fastify", value: helloResult.requests.average, unit: "req/s" },
      goal: 0.35,
    },
    {
      what: "p99 latency, batch request vs kafkajs 100-message send",
      subject: { name: "ingest", value: batchResult.latency.p99, unit: "ms" },
      baseline: { name: "kafkajs", value: raw.p99, unit: "ms" },
      lowerIsBetter: true,
    },
    {
      what: "p99 latency, single-event request vs bare Fastify",
      subject: { name: "ingest", value: singleResult.latency.p99, unit: "ms" },
      baseline: { name: "fastify", value: helloResult.latency.p99, unit: "ms" },
      lowerIsBetter: true,
    },
  ]);
}

await main();
