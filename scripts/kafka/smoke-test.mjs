#!/usr/bin/env node
// End-to-end check of the local broker with the repo's kafkajs: CreateTopics, Produce (idempotent and
// transactional), ListOffsets, a two-member consumer group (JoinGroup/SyncGroup/Heartbeat), Fetch,
// OffsetCommit/OffsetFetch, DescribeGroups, DeleteTopics. Uses its own topic and group names and
// deletes the topic afterwards. Usage: node scripts/kafka/smoke-test.mjs [host:port]
import { randomUUID } from "node:crypto";
import process from "node:process";
import kafkajs from "kafkajs";

const { Kafka, logLevel } = kafkajs;
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= "1";
const broker = process.argv[2] ?? process.env.KAFKA_BROKERS ?? "127.0.0.1:9092";
const suffix = randomUUID().slice(0, 8);
const topic = `smoke.check.v1.${suffix}`;
const groupId = `smoke-group-${suffix}`;
const messageCount = 6;

const kafka = new Kafka({ clientId: "cascade-kafka-smoke", brokers: broker.split(","), logLevel: logLevel.WARN });
const admin = kafka.admin();

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`ok - ${what}`);
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  await admin.connect();
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  check(created, `CreateTopics ${topic} (3 partitions)`);

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const half = messageCount / 2;
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: half }, (_, i) => ({
      key: `ws-1:contact-${i}`,
      value: `plain-${i}`,
      headers: { "content-type": "text/plain" },
    })),
  });
  check(true, `Produce ${half} messages (idempotent producer, acks=all)`);
  await producer.disconnect();

  const txProducer = kafka.producer({
    transactionalId: `smoke-tx-${suffix}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await txProducer.connect();
  const transaction = await txProducer.transaction();
  await transaction.send({
    topic,
    messages: Array.from({ length: half }, (_, i) => ({ key: `ws-1:contact-${i}`, value: `tx-${i}` })),
  });
  await transaction.commit();
  check(true, `Produce ${half} messages in a committed transaction`);
  await txProducer.disconnect();

  // kafkajs lists offsets READ_COMMITTED, i.e. up to the last stable offset, which moves only once the
  // coordinator has written the commit markers (shortly after commit() returns): poll briefly.
  // Each partition written by the transaction also holds one commit marker, hence ">=".
  let highWatermarkTotal = 0;
  for (let attempt = 0; attempt < 50 && highWatermarkTotal < messageCount; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const offsets = await admin.fetchTopicOffsets(topic);
    highWatermarkTotal = offsets.reduce((sum, p) => sum + Number(p.high), 0);
  }
  check(
    highWatermarkTotal >= messageCount,
    `ListOffsets: high watermarks sum to ${highWatermarkTotal} (>= ${messageCount})`,
  );

  const received = [];
  const consumers = [0, 1].map(() =>
    kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 500 }),
  );
  let resolveAll;
  const allReceived = new Promise((resolve) => {
    resolveAll = resolve;
  });
  for (const consumer of consumers) {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        received.push(message.value.toString());
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        if (received.length >= messageCount) resolveAll();
      },
    });
  }
  await withTimeout(allReceived, 30000, `consume ${messageCount} messages`);
  check(received.length === messageCount, `Fetch: a 2-member group consumed all ${messageCount} messages`);
  check(new Set(received).size === messageCount, "no message consumed twice");

  const described = await admin.describeGroups([groupId]);
  const group = described.groups[0];
  check(
    group.state === "Stable" && group.members.length === 2,
    `DescribeGroups: ${group.state} with ${group.members.length} members`,
  );

  for (const consumer of consumers) await consumer.disconnect();

  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committedTotal = committed[0].partitions.reduce((sum, p) => sum + Math.max(Number(p.offset), 0), 0);
  check(committedTotal >= messageCount, `OffsetCommit/OffsetFetch: committed offsets sum to ${committedTotal}`);

  await admin.deleteGroups([groupId]);
  await admin.deleteTopics({ topics: [topic] });
  check(true, "DeleteGroups and DeleteTopics");
  await admin.disconnect();
}

main().then(
  () => {
    console.log("smoke test passed");
    process.exit(0);
  },
  async (error) => {
    console.error(`smoke test FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    process.exit(1);
  },
);
