import { exitOnConfigError, loadConfig } from "@cascade/config";
import { createLogger, startTelemetry } from "@cascade/observability";
import { runtimeConfigFor, type RuntimeConfig } from "./runtime-config.js";
import type { ServiceDefinition } from "./service-definition.js";
import { startPlatform, type RunningPlatform } from "./start-platform.js";

/**
 * The whole of a main.ts: parse the configuration (a bad value stops start-up naming the variable),
 * start tracing, start the platform with the given services, and shut down cleanly on SIGINT / SIGTERM.
 */
export async function runMain(
  processName: string,
  services: ReadonlyArray<ServiceDefinition>,
): Promise<RunningPlatform> {
  const config: RuntimeConfig = exitOnConfigError(() => loadConfig(runtimeConfigFor(processName)));
  const telemetry = startTelemetry({
    serviceName: config.SERVICE_NAME,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const log = createLogger(processName, config.LOG_LEVEL);
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({ processName, services, config, logger: log });
  } catch (error) {
    log.fatal({ err: error }, "start-up failed");
    await telemetry.shutdown();
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    platform
      .close()
      .then(() => telemetry.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return platform;
}
