import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
} from "prom-client";

type MetricKind = "counter" | "gauge" | "histogram";

/** Thrown when a metric name is reused with another kind or other label names. */
export class MetricConflictError extends Error {
  constructor(name: string, detail: string) {
    super(`metric ${name} is already registered ${detail}`);
    this.name = "MetricConflictError";
  }
}

/**
 * A prom-client registry with the default process metrics. `counter`, `histogram` and `gauge`
 * return the metric already registered under that name (same kind and labels) instead of failing,
 * so several Nest applications or modules in one process can ask for the same metric.
 */
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly labelNamesByMetric = new Map<string, readonly string[]>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  counter<Label extends string>(config: Omit<CounterConfiguration<Label>, "registers">): Counter<Label> {
    return this.getOrCreate(
      config.name,
      "counter",
      config.labelNames,
      Counter,
      () => new Counter({ ...config, registers: [this.registry] }),
    );
  }

  histogram<Label extends string>(config: Omit<HistogramConfiguration<Label>, "registers">): Histogram<Label> {
    return this.getOrCreate(
      config.name,
      "histogram",
      config.labelNames,
      Histogram,
      () => new Histogram({ ...config, registers: [this.registry] }),
    );
  }

  gauge<Label extends string>(config: Omit<GaugeConfiguration<Label>, "registers">): Gauge<Label> {
    return this.getOrCreate(
      config.name,
      "gauge",
      config.labelNames,
      Gauge,
      () => new Gauge({ ...config, registers: [this.registry] }),
    );
  }

  private getOrCreate<M extends Metric>(
    name: string,
    kind: MetricKind,
    labelNames: readonly string[] | undefined,
    kindClass: abstract new (...args: never[]) => M,
    create: () => M,
  ): M {
    const existing = this.registry.getSingleMetric(name);
    if (existing === undefined) {
      this.labelNamesByMetric.set(name, [...(labelNames ?? [])].sort());
      return create();
    }
    if (!(existing instanceof kindClass)) throw new MetricConflictError(name, `with another kind than ${kind}`);
    const registeredLabels = this.labelNamesByMetric.get(name) ?? [];
    const requestedLabels = [...(labelNames ?? [])].sort();
    if (registeredLabels.join(",") !== requestedLabels.join(",")) {
      throw new MetricConflictError(
        name,
        `with labels [${registeredLabels.join(", ")}], not [${requestedLabels.join(", ")}]`,
      );
    }
    return existing;
  }
}

let processMetrics: MetricsRegistry | undefined;

/** The one registry of this process, created with default metrics on first use. */
export function processMetricsRegistry(): MetricsRegistry {
  processMetrics ??= new MetricsRegistry();
  return processMetrics;
}
