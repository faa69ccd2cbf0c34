import { ROOT_CONTEXT, context, propagation, type Context, type TextMapGetter } from "@opentelemetry/api";
import type { TopicDef } from "@cascade/contracts";
import { BusHeaders, type Headers } from "../bus.js";

/**
 * Headers of an outgoing message: the caller's, the active OpenTelemetry context (`traceparent`,
 * `tracestate`; nothing when no propagator is registered) unless the caller brought its own, and the
 * headers the bus owns (`message-id`, `content-type`, `schema`), which always win.
 */
export function buildOutgoingHeaders<T>(topic: TopicDef<T>, value: T, callerHeaders: Headers | undefined): Headers {
  const traceHeaders: Headers = {};
  propagation.inject(context.active(), traceHeaders);
  return {
    ...traceHeaders,
    ...callerHeaders,
    [BusHeaders.MessageId]: topic.envelope(value).id,
    [BusHeaders.ContentType]: topic.contentType,
    [BusHeaders.Schema]: topic.schema,
  };
}

const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** The producer's trace context carried by a message, to run its handler in. */
export function extractTraceContext(headers: Headers): Context {
  return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

/** Header values as the Kafka client hands them over. */
export type WireHeaderValue = Uint8Array | string | ReadonlyArray<Uint8Array | string> | undefined;

/** Normalises wire headers to strings (UTF-8; the first value of a repeated header). */
export function headersFromWire(wire: Readonly<Record<string, WireHeaderValue>> | undefined): Headers {
  const headers: Headers = {};
  for (const [name, raw] of Object.entries(wire ?? {})) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    headers[name] = typeof value === "string" ? value : Buffer.from(value as Uint8Array).toString("utf8");
  }
  return headers;
}
