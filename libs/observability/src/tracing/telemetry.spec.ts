import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { context, propagation, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging/create-logger.js";
import { startTelemetry, type Telemetry } from "./start-telemetry.js";
import { withSpan } from "./with-span.js";

interface LogRecord {
  msg: string;
  name?: string;
  level: string;
  trace_id?: string;
  span_id?: string;
}

function capturedLogger() {
  const lines: string[] = [];
  const logger = createLogger("bus", "debug", { destination: { write: (line: string) => void lines.push(line) } });
  const records = () => lines.map((line) => JSON.parse(line) as LogRecord);
  return { logger, records };
}

describe("startTelemetry and withSpan", () => {
  let telemetry: Telemetry | undefined;
  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
  });

  it("gives log lines inside a span its trace and span ids, and none outside", async () => {
    const spans = new InMemorySpanExporter();
    telemetry = startTelemetry({ serviceName: "relay-test", spanProcessors: [new SimpleSpanProcessor(spans)] });
    const { logger, records } = capturedLogger();

    logger.info("outside");
    const ids = await withSpan("relay.batch", { "messaging.batch.message_count": 3 }, async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.info("inside");
      return span.spanContext();
    });

    await telemetry.flush(); // spans wait for the asynchronously detected resource before export

    const [outside, inside] = records();
    expect(outside).toMatchObject({ msg: "outside", name: "bus", level: "info" });
    expect(outside).not.toHaveProperty("trace_id");
    expect(inside).toMatchObject({ msg: "inside", trace_id: ids.traceId, span_id: ids.spanId });
    const [finished] = spans.getFinishedSpans();
    expect(finished?.name).toBe("relay.batch");
    expect(finished?.attributes).toEqual({ "messaging.batch.message_count": 3 });
    expect(finished?.resource.attributes["service.name"]).toBe("relay-test");
  });

  it("marks the span failed and rethrows when the function throws", async () => {
    const spans = new InMemorySpanExporter();
    telemetry = startTelemetry({ serviceName: "relay-test", spanProcessors: [new SimpleSpanProcessor(spans)] });
    await expect(withSpan("relay.publish", {}, () => Promise.reject(new Error("broker down")))).rejects.toThrow(
      "broker down",
    );
    await telemetry.flush();
    const [failed] = spans.getFinishedSpans();
    expect(failed?.status).toEqual({ code: 2, message: "broker down" });
    expect(failed?.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("sets the W3C propagator globally, so traceparent can be injected and extracted", async () => {
    telemetry = startTelemetry({ serviceName: "bus-test" });
    const carrier: Record<string, string> = {};
    const traceId = await withSpan("publish", {}, (span) => {
      propagation.inject(context.active(), carrier);
      return span.spanContext().traceId;
    });
    expect(carrier["traceparent"]).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const extracted = trace.getSpanContext(propagation.extract(context.active(), carrier));
    expect(extracted?.traceId).toBe(traceId);
  });

  it("exports spans over OTLP/HTTP only to the configured endpoint", async () => {
    const received: string[] = [];
    const collector: Server = createServer((request: IncomingMessage, response) => {
      received.push(request.url ?? "");
      request.resume();
      request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end("{}"));
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      telemetry = startTelemetry({ serviceName: "export-test", otlpEndpoint: `http://127.0.0.1:${port}/` });
      await withSpan("exported", {}, () => undefined);
      await telemetry.shutdown();
      expect(received).toContain("/v1/traces");
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });

  it("can be shut down and started again in one process", async () => {
    const first = new InMemorySpanExporter();
    await startTelemetry({ serviceName: "first", spanProcessors: [new SimpleSpanProcessor(first)] }).shutdown();
    const second = new InMemorySpanExporter();
    telemetry = startTelemetry({ serviceName: "second", spanProcessors: [new SimpleSpanProcessor(second)] });
    await withSpan("after-restart", {}, () => undefined);
    await telemetry.flush();
    expect(second.getFinishedSpans().map((span) => span.name)).toEqual(["after-restart"]);
  });
});
