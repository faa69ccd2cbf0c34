import type { IncomingMessage, ServerResponse } from "node:http";
import type { LevelWithSilent } from "pino";
import type { Options as PinoHttpOptions } from "pino-http";
import { isProbePath } from "../probe-paths.js";

/** One request log line: method, url, status and `duration_ms`, nothing from headers or bodies. */
export function httpLoggingOptions(): PinoHttpOptions {
  return {
    customLogLevel: requestLogLevel,
    // Lines logged while handling a request carry only its `reqId`; the request itself is on the completion line.
    quietReqLogger: true,
    customAttributeKeys: { responseTime: "duration_ms" },
    customSuccessMessage: (req, res) => `${req.method ?? "?"} ${req.url ?? "?"} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method ?? "?"} ${req.url ?? "?"} ${res.statusCode} failed`,
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
    },
  };
}

/** Probes log at debug; server errors at error; client errors at warn; the rest at info. */
export function requestLogLevel(req: IncomingMessage, res: ServerResponse, error?: Error): LevelWithSilent {
  if (isProbePath(req.url)) return "debug";
  if (error !== undefined || res.statusCode >= 500) return "error";
  if (res.statusCode >= 400) return "warn";
  return "info";
}
