import { z } from "zod";
import { brokerList, httpUrl, logLevel, port, postgresUrl, serviceName } from "./fields.js";

/**
 * The variables every Cascade service reads. A service extends this with its own fields:
 *
 * ```ts
 * export const ingestConfigSchema = baseConfigFor("ingest").extend({ INGEST_MAX_BATCH: port() });
 * ```
 *
 * DATABASE_URL and KAFKA_BROKERS are optional: when unset, embedded mode uses PGlite and the
 * embedded bus. OTEL_EXPORTER_OTLP_ENDPOINT unset means traces are not exported.
 */
export const baseConfigSchema = z.object({
  SERVICE_NAME: serviceName(),
  PORT: port().default(3000),
  LOG_LEVEL: logLevel().default("info"),
  DATABASE_URL: postgresUrl().optional(),
  KAFKA_BROKERS: brokerList().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl().optional(),
});

export type BaseConfig = z.output<typeof baseConfigSchema>;

/** The base schema with SERVICE_NAME defaulting to the given name (still overridable by the env). */
export function baseConfigFor(defaultServiceName: string) {
  const parsedName = serviceName().safeParse(defaultServiceName);
  if (!parsedName.success) {
    throw new TypeError(`baseConfigFor: invalid default service name ${JSON.stringify(defaultServiceName)}`);
  }
  return baseConfigSchema.extend({ SERVICE_NAME: serviceName().default(parsedName.data) });
}
