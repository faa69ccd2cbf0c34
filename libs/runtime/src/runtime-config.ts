import { z } from "zod";
import { baseConfigFor, optionalSecret } from "@cascade/config";

/**
 * The variables the runtime reads for every process, embedded or one service. Services add their own
 * fields with `.extend()`.
 */
export function runtimeConfigFor(processName: string) {
  return baseConfigFor(processName).extend({
    /** Interface to listen on. */
    HOST: z.string().min(1).default("0.0.0.0"),
    /** Embedded mode's files: PGlite data (pgdata/) and generated keys (keys.json). */
    CASCADE_DATA_DIR: z.string().min(1).default(".cascade"),
    CASCADE_WORKSPACE: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, _ and -, at most 63")
      .default("default"),
    CASCADE_WRITE_KEY: optionalSecret(),
    CASCADE_ADMIN_KEY: optionalSecret(),
    /** Partitions of the topics this process creates. */
    KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
    /** Appended to every topic name, so several installations (or test runs) share one broker. */
    CASCADE_TOPIC_SUFFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and -")
      .optional(),
  });
}

export type RuntimeConfig = z.output<ReturnType<typeof runtimeConfigFor>>;
