import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { isProbePath } from "../probe-paths.js";
import { requestLogLevel } from "./http-logging.js";

const request = (url: string) => ({ url }) as IncomingMessage;
const response = (statusCode: number) => ({ statusCode }) as ServerResponse;

describe("request log level", () => {
  it("logs probes and scrapes at debug, whatever their status", () => {
    expect(requestLogLevel(request("/health/ready"), response(503))).toBe("debug");
    expect(requestLogLevel(request("/metrics?x=1"), response(200))).toBe("debug");
  });
  it("logs other requests by outcome", () => {
    expect(requestLogLevel(request("/v1/track"), response(200))).toBe("info");
    expect(requestLogLevel(request("/v1/track"), response(404))).toBe("warn");
    expect(requestLogLevel(request("/v1/track"), response(500))).toBe("error");
    expect(requestLogLevel(request("/v1/track"), response(200), new Error("x"))).toBe("error");
  });
  it("recognises probe paths only", () => {
    expect(isProbePath("/health/live")).toBe(true);
    expect(isProbePath("/healthcheck")).toBe(false);
    expect(isProbePath("/metrics-export")).toBe(false);
    expect(isProbePath(undefined)).toBe(false);
  });
});
