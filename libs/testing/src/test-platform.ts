import { loadConfig } from "@cascade/config";
import { createLogger } from "@cascade/observability";
import { runtimeConfigFor, startPlatform, type RunningPlatform, type ServiceDefinition } from "@cascade/runtime";
import { testKafkaBrokers, uniqueName } from "./environment.js";
import { ensureTestDatabase } from "./test-database.js";

export interface TestPlatformOptions {
  services: ReadonlyArray<ServiceDefinition>;
  /** `kafka` (default): the real broker and the real PostgreSQL; `embedded`: embedded bus and in-memory PGlite. */
  mode?: "kafka" | "embedded";
  /** Extra environment for the runtime config (e.g. service settings). */
  env?: Record<string, string>;
  /** Reuse a workspace / topic suffix, e.g. to restart a platform over the same state. */
  workspace?: string;
  topicSuffix?: string;
}

export interface TestPlatform extends RunningPlatform {
  /** This test's workspace id; every key and message it creates belongs to it. */
  workspaceId: string;
  topicSuffix: string;
  /** Kafka mode: this platform's own database (reused when the same topicSuffix is given again). */
  databaseUrl?: string;
}

/**
 * Starts the given services the way production does (same runtime, same migrations, same bus contract),
 * isolated for one test: its own workspace id, its own topic suffix and (kafka mode) its own database
 * (`platform.databaseUrl`), HTTP on an ephemeral port of 127.0.0.1, logs at warn. Call `close()` in afterAll.
 */
export async function startTestPlatform(options: TestPlatformOptions): Promise<TestPlatform> {
  const mode = options.mode ?? "kafka";
  const workspaceId = options.workspace ?? uniqueName("ws").replace(/_/g, "-");
  const topicSuffix = options.topicSuffix ?? uniqueName("t");
  const env: Record<string, string> = {
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
    CASCADE_WORKSPACE: workspaceId,
    CASCADE_WRITE_KEY: `wk_${workspaceId}`,
    CASCADE_ADMIN_KEY: `ak_${workspaceId}`,
    CASCADE_TOPIC_SUFFIX: topicSuffix,
    KAFKA_PARTITIONS: "3",
    ...(mode === "kafka"
      ? { DATABASE_URL: await ensureTestDatabase(topicSuffix), KAFKA_BROKERS: testKafkaBrokers().join(",") }
      : {}),
    ...options.env,
  };
  const config = loadConfig(runtimeConfigFor("test"), env);
  const platform = await startPlatform({
    processName: "test",
    services: options.services,
    config,
    logger: createLogger("test", config.LOG_LEVEL),
    env: { ...process.env, ...env },
    embeddedDataDir: mode === "embedded" ? "memory://" : undefined,
  });
  return { ...platform, workspaceId, topicSuffix, databaseUrl: env.DATABASE_URL };
}
