export { ObservabilityModule, type ObservabilityOptions } from "./observability.module.js";

export { LoggingModule, type LoggingOptions } from "./logging/logging.module.js";
export { createLogger, type LoggerSettings } from "./logging/create-logger.js";
/** The plain pino logger type returned by `createLogger`. */
export type { Logger, LevelWithSilent } from "pino";
export { traceContextMixin, type TraceContextFields } from "./logging/trace-context.js";
export { requestLogLevel } from "./logging/http-logging.js";
/** nestjs-pino, re-exported so services depend on this library only. */
export { Logger as NestLogger, PinoLogger, InjectPinoLogger } from "nestjs-pino";

export { startTelemetry, type Telemetry, type TelemetryOptions } from "./tracing/start-telemetry.js";
export { withSpan } from "./tracing/with-span.js";

export { MetricsRegistry, MetricConflictError, processMetricsRegistry } from "./metrics/metrics-registry.js";
export { MetricsController } from "./metrics/metrics.controller.js";

export { HealthController, type ReadinessBody } from "./health/health.controller.js";
export {
  ReadinessRegistry,
  DuplicateReadinessCheckError,
  type ReadinessReport,
  type ReadinessOptions,
  type CheckOutcome,
} from "./health/readiness-registry.js";
export {
  dataSourceCheck,
  busCheck,
  type ReadinessCheck,
  type SqlQueryable,
  type Pingable,
} from "./health/readiness-check.js";

export { isProbePath } from "./probe-paths.js";
