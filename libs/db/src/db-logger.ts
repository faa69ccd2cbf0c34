/** The part of a pino logger this library uses; pass a pino (child) logger or leave it out. */
export interface DbLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: DbLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
