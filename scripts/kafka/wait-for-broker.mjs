#!/usr/bin/env node
// Waits until the Kafka broker answers a metadata request with at least one live broker.
// Usage: node wait-for-broker.mjs [--timeout SECONDS] [--brokers host:port,...] [--pid PID] [--quiet]
// Exit 0 when ready, 1 on timeout or when the broker process (--pid) has exited.
// kafkajs is resolved from the repo's node_modules.
import kafkajs from "kafkajs";

const { Kafka, logLevel } = kafkajs;

function parseArgs(argv) {
  const options = { timeoutSeconds: 90, brokers: ["127.0.0.1:9092"], pid: undefined, quiet: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === "--timeout") {
      options.timeoutSeconds = Number(value());
      if (!Number.isFinite(options.timeoutSeconds) || options.timeoutSeconds <= 0) {
        throw new Error(`--timeout must be a positive number of seconds, got "${argv[i]}"`);
      }
    } else if (arg === "--brokers") {
      options.brokers = value()
        .split(",")
        .map((b) => b.trim())
        .filter(Boolean);
    } else if (arg === "--pid") {
      options.pid = Number(value());
    } else if (arg === "--quiet") {
      options.quiet = true;
    } else {
      throw new Error(`unknown argument "${arg}"`);
    }
  }
  return options;
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function probe(brokers) {
  const kafka = new Kafka({
    clientId: "cascade-wait-for-broker",
    brokers,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error("metadata lists no live broker yet");
    return cluster;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  let lastError = "no attempt made";
  while (Date.now() < deadline) {
    if (options.pid !== undefined && !processAlive(options.pid)) {
      console.error(`Kafka broker process ${options.pid} exited before it became ready (last error: ${lastError})`);
      return 1;
    }
    try {
      const cluster = await probe(options.brokers);
      if (!options.quiet) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(
          `Kafka ready at ${options.brokers.join(",")} after ${seconds}s ` +
            `(cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s), controller ${cluster.controller})`,
        );
      }
      return 0;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(500);
  }
  console.error(
    `Kafka at ${options.brokers.join(",")} did not answer a metadata request within ${options.timeoutSeconds}s ` +
      `(last error: ${lastError})`,
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`wait-for-broker: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
