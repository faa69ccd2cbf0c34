import { Controller, Get, Header } from "@nestjs/common";
import { Registry } from "prom-client";
import { MetricsRegistry } from "./metrics-registry.js";

/** Prometheus scrape endpoint, text exposition format. */
@Controller("metrics")
export class MetricsController {
  constructor(private readonly metricsRegistry: MetricsRegistry) {}

  @Get()
  @Header("Content-Type", Registry.PROMETHEUS_CONTENT_TYPE)
  @Header("Cache-Control", "no-store")
  metrics(): Promise<string> {
    return this.metricsRegistry.metrics();
  }
}
