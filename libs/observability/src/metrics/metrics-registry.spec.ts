import { describe, expect, it } from "vitest";
import { MetricConflictError, MetricsRegistry, processMetricsRegistry } from "./metrics-registry.js";

describe("MetricsRegistry", () => {
  it("exposes default process metrics", async () => {
    expect(await new MetricsRegistry().metrics()).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(await new MetricsRegistry({ defaultMetrics: false }).metrics()).not.toContain("nodejs_heap_size_used_bytes");
  });

  it("returns the registered metric when asked for the same name again", async () => {
    const registry = new MetricsRegistry({ defaultMetrics: false });
    const config = { name: "cascade_sends_total", help: "Sends.", labelNames: ["channel"] as const };
    const first = registry.counter({ ...config, labelNames: [...config.labelNames] });
    const second = registry.counter({ ...config, labelNames: [...config.labelNames] });
    expect(second).toBe(first);
    first.inc({ channel: "email" });
    second.inc({ channel: "email" });
    expect(await registry.metrics()).toContain('cascade_sends_total{channel="email"} 2');
  });

  it("observes histograms and sets gauges", async () => {
    const registry = new MetricsRegistry({ defaultMetrics: false });
    registry.histogram({ name: "cascade_handle_seconds", help: "Handling time.", buckets: [0.1, 1] }).observe(0.5);
    registry.gauge({ name: "cascade_lag", help: "Lag." }).set(7);
    const text = await registry.metrics();
    expect(text).toContain('cascade_handle_seconds_bucket{le="1"} 1');
    expect(text).toContain("cascade_lag 7");
  });

  it("refuses a name reused with another kind or other labels", () => {
    const registry = new MetricsRegistry({ defaultMetrics: false });
    registry.counter({ name: "cascade_events_total", help: "Events.", labelNames: ["topic"] });
    expect(() => registry.gauge({ name: "cascade_events_total", help: "Events." })).toThrow(MetricConflictError);
    expect(() => registry.counter({ name: "cascade_events_total", help: "Events.", labelNames: ["group"] })).toThrow(
      "metric cascade_events_total is already registered with labels [topic], not [group]",
    );
  });

  it("keeps one registry per process", () => {
    expect(processMetricsRegistry()).toBe(processMetricsRegistry());
  });
});
