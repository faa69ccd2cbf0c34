import type { IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import { ProxyTracerProvider, context, propagation, trace, type TracerProvider } from "@opentelemetry/api";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { isProbePath } from "../probe-paths.js";

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP collector base URL (OTEL_EXPORTER_OTLP_ENDPOINT), e.g. `http://collector:4318`. Unset: spans are not exported. */
  otlpEndpoint?: string;
  /** Extra span processors, e.g. a SimpleSpanProcessor over an InMemorySpanExporter in tests. */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  /** Hands every ended span to the processors and waits for their exports (CLIs call it before exiting). */
  flush(): Promise<void>;
  /** Flushes pending spans and unregisters the global tracer, context manager and propagator. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing. Call it first thing in main.ts, before the Nest application is
 * created, so the HTTP server is instrumented.
 *
 * - HTTP server and client spans (probe paths `/health/*` and `/metrics` excluded).
 * - The W3C trace-context (and baggage) propagator is set globally, so libs/bus injects and
 *   extracts `traceparent` through `propagation` from @opentelemetry/api.
 * - Spans always exist (logs carry their ids), but they leave the process only when an OTLP
 *   endpoint is configured. Log and metric exporters are never started: logs go to stdout,
 *   metrics to /metrics.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const spanProcessors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
  if (options.otlpEndpoint !== undefined) {
    const url = `${options.otlpEndpoint.replace(/\/+$/, "")}/v1/traces`;
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  }
  // NodeSDK registers the context manager and propagator only when it has a span processor;
  // without an exporter a no-op one keeps trace ids flowing through logs and bus headers.
  if (spanProcessors.length === 0) spanProcessors.push(new NoopSpanProcessor());

  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    spanProcessors,
    // An empty list stops the SDK from starting its default OTLP log exporter.
    logRecordProcessors: [],
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request: IncomingMessage) => isProbePath(request.url) }),
    ],
  });
  sdk.start();
  patchAlreadyLoadedHttp();

  let stopped = false;
  return {
    async flush() {
      const provider = registeredTracerProvider();
      if (provider !== undefined && !stopped) await provider.forceFlush();
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      try {
        await sdk.shutdown();
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
}

function registeredTracerProvider(): (TracerProvider & { forceFlush(): Promise<void> }) | undefined {
  const global = trace.getTracerProvider();
  const provider = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  return "forceFlush" in provider && typeof provider.forceFlush === "function"
    ? (provider as TracerProvider & { forceFlush(): Promise<void> })
    : undefined;
}

/**
 * The HTTP instrumentation patches `http`/`https` when they are next `require`d. In an ESM main.ts,
 * Fastify may have loaded them before this runs; requiring them once here applies the patch to the
 * shared `Server.prototype`, so servers created afterwards get spans whatever the import order.
 */
function patchAlreadyLoadedHttp(): void {
  const require = createRequire(import.meta.url);
  require("http");
  require("https");
}
