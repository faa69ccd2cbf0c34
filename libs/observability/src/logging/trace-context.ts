import { isSpanContextValid, trace } from "@opentelemetry/api";

/** Log fields naming the active OpenTelemetry span, in the OpenTelemetry log data model's names. */
export interface TraceContextFields {
  trace_id?: string;
  span_id?: string;
}

/**
 * A pino mixin: adds `trace_id` and `span_id` of the span active when the line is logged, so a log
 * line can be found from a trace and the other way round. Adds nothing outside a span.
 */
export function traceContextMixin(): TraceContextFields {
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
