/**
 * libs/bus on Kafka vs raw kafkajs on the same broker, same batch size, same acks (all), same partitions.
 *   npm run bench -- bus-throughput [--messages 50000] [--batch 500]
 * Needs the broker from scripts/kafka (npm run kafka:start).
 */
import { randomBytes } from "node:crypto";
import { Kafka, Partitioners, logLevel } from "kafkajs";
import { KafkaBus } from "@cascade/bus";
import { create, EventSchema, EventType, newEnvelope, Topics, renamedTopic } from "@cascade/contracts";
import { flag, report, timed } from "./_harness.js";

const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const total = flag("messages", 50_000);
const batchSize = flag("batch", 500);
const partitions = 3;
const run = randomBytes(4).toString("hex");

const topic = (name: string) => renamedTopic(Topics.EventsV1, `bench.${name}.${run}`);
const events = Array.from({ length: total }, (_, i) =>
  create(EventSchema, {
    envelope: newEnvelope("bench"),
    type: EventType.TRACK,
    event: "page_view",
    contactId: `contact-${i % 1000}`,
    properties: { url: `https://example.com/p/${i % 50}`, n: i },
  }),
);

async function main(): Promise<void> {
  const kafka = new Kafka({ clientId: "bench-raw", brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();

  // The baseline does what an application on raw kafkajs would: encode each message with the contract codec
  // and send it with the same headers the bus adds (message id, content type, schema).
  const busTopic = topic("bus");
  const rawTopic = topic("raw");
  const encode = (from: number, to: number) =>
    events.slice(from, to).map((event) => ({
      key: busTopic.key(event),
      value: Buffer.from(busTopic.encode(event)),
      headers: {
        "message-id": busTopic.envelope(event).id,
        "content-type": busTopic.contentType,
        schema: busTopic.schema,
      },
    }));

  const bus = new KafkaBus({ brokers, clientId: "bench-bus", partitions });
  await bus.ensureTopics([busTopic], { partitions });
  await admin.createTopics({
    topics: [{ topic: rawTopic.name, numPartitions: partitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });

  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  // Warm both paths (metadata, connections) before timing.
  await producer.send({ topic: rawTopic.name, acks: -1, messages: encode(0, 10) });
  await bus.publish(
    busTopic,
    events.slice(0, 10).map((value) => ({ value })),
  );

  const raw = await timed(async () => {
    for (let i = 0; i < total; i += batchSize) {
      await producer.send({ topic: rawTopic.name, acks: -1, messages: encode(i, i + batchSize) });
    }
  });
  const viaBus = await timed(async () => {
    for (let i = 0; i < total; i += batchSize) {
      await bus.publish(
        busTopic,
        events.slice(i, i + batchSize).map((value) => ({ value })),
      );
    }
  });

  // Consumers: read everything each topic holds (warm-up messages included) from the beginning.
  const expected = total + 10;
  const rawConsume = await timed(async () => {
    const consumer = kafka.consumer({ groupId: `bench-raw-${run}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: rawTopic.name, fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve) => {
      // Idiomatic raw kafkajs: eachMessage with kafkajs's own periodic auto-commit.
      void consumer.run({
        partitionsConsumedConcurrently: partitions,
        eachMessage: async ({ message }) => {
          busTopic.decode(message.value ?? Buffer.alloc(0));
          if (++seen === expected) resolve();
        },
      });
    });
    await consumer.disconnect();
  });
  const busConsume = await timed(async () => {
    let seen = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const subscription = await bus.subscribe({
      group: `bench-bus-${run}`,
      topic: busTopic,
      handler: async () => {
        if (++seen === expected) done();
        return "processed";
      },
    });
    await finished;
    await subscription.close();
  });

  report(`libs/bus vs kafkajs, ${total} messages, batches of ${batchSize}, acks=all, ${partitions} partitions`, [
    {
      what: "produce",
      subject: { name: "libs/bus", value: total / viaBus.seconds, unit: "msg/s" },
      baseline: { name: "kafkajs", value: total / raw.seconds, unit: "msg/s" },
      goal: 0.9,
    },
    {
      what: "consume (decode, commit; bus: per batch + on close, kafkajs: auto-commit)",
      subject: { name: "libs/bus", value: expected / busConsume.seconds, unit: "msg/s" },
      baseline: { name: "kafkajs", value: expected / rawConsume.seconds, unit: "msg/s" },
      goal: 0.9,
    },
  ]);

  await producer.disconnect();
  await bus.close();
  await admin.deleteTopics({ topics: [busTopic.name, `${busTopic.name}.dlq`, rawTopic.name] }).catch(() => undefined);
  await admin.disconnect();
}

await main();
