import { Module, type DynamicModule } from "@nestjs/common";
import { HealthController } from "./health/health.controller.js";
import { ReadinessRegistry, type ReadinessOptions } from "./health/readiness-registry.js";
import { LoggingModule, type LoggingOptions } from "./logging/logging.module.js";
import { MetricsController } from "./metrics/metrics.controller.js";
import { MetricsRegistry, processMetricsRegistry } from "./metrics/metrics-registry.js";

export interface ObservabilityOptions extends LoggingOptions, ReadinessOptions {
  /** Defaults to the process-wide registry, so every application in the process shares one /metrics view. */
  metricsRegistry?: MetricsRegistry;
}

/**
 * Logging, /metrics, /health/live and /health/ready in one import. Import it once, in the
 * application's root module; it is global, so feature modules inject `ReadinessRegistry` (to
 * register their checks) and `MetricsRegistry` (to create metrics) without importing it.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const metricsRegistry = options.metricsRegistry ?? processMetricsRegistry();
    return {
      module: ObservabilityModule,
      global: true,
      imports: [LoggingModule.forRoot(options)],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: MetricsRegistry, useValue: metricsRegistry },
        { provide: ReadinessRegistry, useFactory: () => new ReadinessRegistry(options) },
      ],
      exports: [MetricsRegistry, ReadinessRegistry, LoggingModule],
    };
  }
}
