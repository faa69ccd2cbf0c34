/**
 * The logger the bus writes to. The shape is a subset of pino's (`logger.warn({ topic }, "message")`),
 * so a pino logger can be passed as is.
 */
export interface BusLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const ignore = (): void => undefined;

/** Drops everything. */
export const silentBusLogger: BusLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

const writeToStderr =
  (level: "warn" | "error") =>
  (fields: Record<string, unknown>, message: string): void => {
    process.stderr.write(`${JSON.stringify({ level, name: "cascade-bus", msg: message, ...fields }, errorReplacer)}\n`);
  };

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

/** The default when no logger is given: warnings and errors as JSON lines on stderr, nothing else. */
export const stderrBusLogger: BusLogger = {
  debug: ignore,
  info: ignore,
  warn: writeToStderr("warn"),
  error: writeToStderr("error"),
};
