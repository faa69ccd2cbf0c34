import { SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";

const TRACER_NAME = "@cascade/observability";

/**
 * Runs `fn` inside a new active span (child of the current one), ends it when `fn` settles, and
 * marks it failed with the exception if `fn` throws. Logs written inside carry its trace_id.
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      const exception = error instanceof Error ? error : new Error(String(error));
      span.recordException(exception);
      span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
      throw error;
    } finally {
      span.end();
    }
  });
}
