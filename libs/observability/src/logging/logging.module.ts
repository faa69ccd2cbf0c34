import { Inject, Module, RequestMethod, type DynamicModule } from "@nestjs/common";
import { LoggerModule } from "nestjs-pino";
import type { DestinationStream, LevelWithSilent, Logger } from "pino";
import { basePinoOptions, buildPinoLogger } from "./create-logger.js";
import { httpLoggingOptions } from "./http-logging.js";

export interface LoggingOptions {
  level: LevelWithSilent;
  /** Added to every line as `service`. */
  serviceName: string;
  /** pino-pretty output for local development. */
  pretty?: boolean;
  /** Where JSON lines go; stdout by default. Tests pass a stream to capture them. */
  destination?: DestinationStream;
}

const ROOT_LOGGER = Symbol("cascade:root-logger");

interface RootLogger {
  serviceName: string;
  logger: Logger;
}

/** The logger nestjs-pino adopted for this process (see the caveat on LoggingModule). */
let processRootLogger: RootLogger | undefined;

/**
 * nestjs-pino with Cascade's log format: JSON lines with `service`, `trace_id`, `span_id`, and one
 * request line (method, url, status, duration_ms) per HTTP request; `/health/*` and `/metrics` at debug.
 *
 * In main.ts create the app with `{ bufferLogs: true }` and call `app.useLogger(app.get(NestLogger))`
 * so Nest's own messages go through pino too.
 *
 * Caveat (nestjs-pino 5.2): its pino-http instance is a process-wide singleton built by the first
 * application that starts; a later application in the same process logs through that first logger
 * (its level, service name and destination). A warning says so when it happens.
 */
@Module({})
export class LoggingModule {
  constructor(@Inject(ROOT_LOGGER) requested: RootLogger) {
    if (processRootLogger === undefined) {
      processRootLogger = requested;
    } else if (processRootLogger.logger !== requested.logger) {
      processRootLogger.logger.warn(
        { requested_service: requested.serviceName },
        `nestjs-pino keeps one logger per process: ${requested.serviceName} logs through the logger of ${processRootLogger.serviceName}`,
      );
    }
  }

  static forRoot(options: LoggingOptions): DynamicModule {
    const logger = buildPinoLogger(basePinoOptions(options.level, { service: options.serviceName }), options);
    const rootLogger: RootLogger = { serviceName: options.serviceName, logger };
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { ...httpLoggingOptions(), logger },
          // nestjs-pino 5.2.1's default route, "{/*splat}", matches no request on
          // @nestjs/platform-fastify 12.5: no request lines and no request context. "*" does.
          forRoutes: [{ path: "*", method: RequestMethod.ALL }],
        }),
      ],
      providers: [{ provide: ROOT_LOGGER, useValue: rootLogger }],
      exports: [LoggerModule],
    };
  }
}
