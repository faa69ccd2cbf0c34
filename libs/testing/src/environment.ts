import { randomBytes } from "node:crypto";

/** The PostgreSQL the integration tests use (the test command sets DATABASE_URL; this is its default). */
export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/cascade_test";
}

/** The Kafka broker the integration tests use (scripts/kafka). */
export function testKafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",").map((broker) => broker.trim());
}

/** A short unique name for a test's workspace, topic suffix or schema: `<prefix>_<random>`. */
export function uniqueName(prefix = "t"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}
