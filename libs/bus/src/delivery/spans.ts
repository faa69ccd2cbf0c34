import { SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";

/**
 * Producer and consumer spans, named and attributed after OpenTelemetry's messaging conventions. Without an
 * SDK (no tracer provider registered) these are no-ops; with one, a publish and the handling of each message
 * appear in the trace that `traceparent` carries from producer to consumer.
 */
const tracer = () => trace.getTracer("@cascade/bus");

async function inSpan<R>(span: Span, work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** Runs a publish inside a `send <topic>` producer span, so the headers injected inside it point at this span. */
export function withProducerSpan<R>(system: string, topic: string, count: number, work: () => Promise<R>): Promise<R> {
  return tracer().startActiveSpan(
    `send ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        "messaging.system": system,
        "messaging.operation.type": "send",
        "messaging.destination.name": topic,
        "messaging.batch.message_count": count,
      },
    },
    (span) => inSpan(span, work),
  );
}

/** Runs one handler attempt inside a `process <topic>` consumer span, child of the producer's context. */
export function withConsumerSpan<R>(
  parent: Context,
  message: { topic: string; group: string; id: string; partition: number; offset: string; attempt: number },
  work: () => Promise<R>,
): Promise<R> {
  return tracer().startActiveSpan(
    `process ${message.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        "messaging.operation.type": "process",
        "messaging.destination.name": message.topic,
        "messaging.consumer.group.name": message.group,
        "messaging.message.id": message.id,
        "messaging.destination.partition.id": String(message.partition),
        "messaging.kafka.offset": message.offset,
        "cascade.delivery.attempt": message.attempt,
      },
    },
    parent,
    (span) => inSpan(span, work),
  );
}
