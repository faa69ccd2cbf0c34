import { Controller, Get, Module, type OnModuleInit } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { FastifyAdapter, type NestFastifyApplication } from "@nestjs/platform-fastify";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { Counter } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReadinessRegistry } from "./health/readiness-registry.js";
import { MetricsRegistry } from "./metrics/metrics-registry.js";
import { ObservabilityModule } from "./observability.module.js";
import { startTelemetry, type Telemetry } from "./tracing/start-telemetry.js";
import { NestLogger, PinoLogger } from "./index.js";

/** Boots a real Fastify-based Nest application with the ObservabilityModule, on 127.0.0.1:0. */

const logLines: string[] = [];
const destination = { write: (line: string) => void logLines.push(line) };
let busReachable = true;

@Controller("orders")
class OrdersController {
  private readonly listed: Counter<"workspace">;

  constructor(
    private readonly logger: PinoLogger,
    metrics: MetricsRegistry,
  ) {
    this.listed = metrics.counter({
      name: "cascade_test_orders_listed_total",
      help: "Orders listed.",
      labelNames: ["workspace"],
    });
  }

  @Get()
  list(): string[] {
    this.listed.inc({ workspace: "w1" });
    this.logger.info({ workspace: "w1" }, "listing orders");
    return [];
  }
}

@Module({ controllers: [OrdersController] })
class OrdersModule implements OnModuleInit {
  constructor(private readonly readiness: ReadinessRegistry) {}

  onModuleInit(): void {
    this.readiness.register({ name: "bus", check: async () => busReachable });
  }
}

@Module({
  imports: [ObservabilityModule.forRoot({ serviceName: "orders-test", level: "info", destination }), OrdersModule],
})
class AppModule {}

interface LogRecord {
  level: string;
  msg: string;
  service?: string;
  trace_id?: string;
  span_id?: string;
  req?: { method: string; url: string };
  res?: { status: number };
  duration_ms?: number;
  reqId?: unknown;
}

const records = (): LogRecord[] => logLines.map((line) => JSON.parse(line) as LogRecord);

describe("ObservabilityModule in a Fastify application", () => {
  const spans = new InMemorySpanExporter();
  let telemetry: Telemetry;
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    telemetry = startTelemetry({ serviceName: "orders-test", spanProcessors: [new SimpleSpanProcessor(spans)] });
    app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { bufferLogs: true });
    app.useLogger(app.get(NestLogger));
    await app.listen(0, "127.0.0.1");
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await telemetry?.shutdown();
  });

  it("answers /health/live with 200", async () => {
    const response = await fetch(`${baseUrl}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "alive" });
  });

  it("answers /health/ready with 200, then 503 naming the check once it fails", async () => {
    busReachable = true;
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", failing: [], checks: { bus: "ok" } });

    busReachable = false;
    const notReady = await fetch(`${baseUrl}/health/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: "not ready", failing: ["bus"], checks: { bus: "not ready" } });
    busReachable = true;
  });

  it("exposes default and custom metrics in the Prometheus text format", async () => {
    await (await fetch(`${baseUrl}/orders`)).text();
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^cascade_test_orders_listed_total\{workspace="w1"\} [1-9]/m);
  });

  it("logs JSON lines carrying the trace id of the incoming traceparent", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    logLines.length = 0;
    const response = await fetch(`${baseUrl}/orders`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(200);

    const appLine = records().find((record) => record.msg === "listing orders");
    expect(appLine).toMatchObject({ level: "info", service: "orders-test", trace_id: traceId });
    expect(appLine?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(appLine?.reqId).toEqual(expect.anything());

    const requestLine = records().find((record) => record.res !== undefined && record.req?.url === "/orders");
    expect(requestLine).toMatchObject({
      level: "info",
      trace_id: traceId,
      req: { method: "GET", url: "/orders" },
      res: { status: 200 },
    });
    expect(requestLine?.duration_ms).toEqual(expect.any(Number));
  });

  it("does not log or trace probe and scrape requests at info", async () => {
    logLines.length = 0;
    spans.reset();
    for (const path of ["/health/ready", "/metrics", "/orders"]) await (await fetch(`${baseUrl}${path}`)).text();
    await telemetry.flush();
    const requestUrls = records().flatMap((record) => (record.req === undefined ? [] : [record.req.url]));
    expect(records().every((record) => record.level === "info")).toBe(true);
    expect(requestUrls).toEqual(["/orders"]);
    const serverSpans = spans.getFinishedSpans().map((span) => span.name);
    expect(serverSpans).toEqual(["GET"]);
  });
});
