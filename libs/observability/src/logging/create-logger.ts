import { createRequire } from "node:module";
import { pino, type DestinationStream, type LevelWithSilent, type Logger, type LoggerOptions } from "pino";
import { traceContextMixin } from "./trace-context.js";

export interface LoggerSettings {
  level: LevelWithSilent;
  /** Human-readable coloured output through pino-pretty (development only; falls back to JSON if it is not installed). */
  pretty?: boolean;
  /** Where JSON lines go; stdout by default. Tests pass a stream to capture them. */
  destination?: DestinationStream;
}

/**
 * The pino options every Cascade logger shares: one JSON object per line, ISO time, the level by
 * name, and `trace_id`/`span_id` of the active span.
 */
export function basePinoOptions(level: LevelWithSilent, bindings: Record<string, string>): LoggerOptions {
  return {
    level,
    base: { pid: process.pid, ...bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceContextMixin,
  };
}

/** Builds a pino logger with the shared options, writing to the destination, pretty or stdout. */
export function buildPinoLogger(options: LoggerOptions, settings: LoggerSettings): Logger {
  if (settings.destination !== undefined) return pino(options, settings.destination);
  if (settings.pretty === true) {
    const prettyStream = loadPrettyStream();
    if (prettyStream !== undefined) return pino(options, prettyStream);
  }
  return pino(options);
}

/**
 * A plain pino logger for code outside Nest (bus adapters, outbox relays, CLIs), with the same
 * format and trace fields as the Nest logs. `name` says which component logs (`bus`, `outbox-relay`).
 */
export function createLogger(
  name: string,
  level: LevelWithSilent,
  settings: Omit<LoggerSettings, "level"> = {},
): Logger {
  return buildPinoLogger(basePinoOptions(level, { name }), { ...settings, level });
}

type PrettyFactory = (options: { sync: boolean; colorize?: boolean }) => DestinationStream;

/** pino-pretty is a development dependency: load it lazily, in-process and synchronously. */
function loadPrettyStream(): DestinationStream | undefined {
  try {
    const require = createRequire(import.meta.url);
    const prettyFactory = require("pino-pretty") as PrettyFactory;
    return prettyFactory({ sync: true });
  } catch {
    return undefined;
  }
}
