import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  booleanFlag,
  brokerList,
  durationMs,
  httpUrl,
  logLevel,
  optionalSecret,
  port,
  postgresUrl,
  secret,
} from "./fields.js";

function errorOf(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  return result.error.issues.map((issue) => issue.message).join("; ");
}

describe("port", () => {
  it("parses 0-65535", () => {
    expect(port().parse("0")).toBe(0);
    expect(port().parse(" 8080 ")).toBe(8080);
    expect(port().parse("65535")).toBe(65535);
  });
  it.each(["65536", "-1", "80a", "8.5", ""])("rejects %j and echoes it", (raw) => {
    expect(errorOf(port(), raw)).toBe(`expected an integer port 0-65535, got ${JSON.stringify(raw)}`);
  });
});

describe("postgresUrl", () => {
  it("accepts postgres:// and postgresql://", () => {
    expect(postgresUrl().parse("postgres://postgres@127.0.0.1:5432/test")).toBe(
      "postgres://postgres@127.0.0.1:5432/test",
    );
    expect(postgresUrl().parse("postgresql://u:p@db/x")).toBe("postgresql://u:p@db/x");
  });
  it("rejects other schemes without echoing credentials", () => {
    const message = errorOf(postgresUrl(), "mysql://root:hunter2@db/x");
    expect(message).toContain('got scheme "mysql:"');
    expect(message).not.toContain("hunter2");
    expect(errorOf(postgresUrl(), "hunter2")).not.toContain("hunter2");
  });
});

describe("httpUrl", () => {
  it("accepts http(s) and drops the trailing slash", () => {
    expect(httpUrl().parse("http://collector:4318/")).toBe("http://collector:4318");
  });
  it("rejects other values", () => {
    expect(errorOf(httpUrl(), "collector:4318")).toContain("expected an http(s):// URL");
  });
});

describe("brokerList", () => {
  it("splits host:port entries and trims spaces", () => {
    expect(brokerList().parse("127.0.0.1:9092, kafka-2.internal:9093")).toEqual([
      "127.0.0.1:9092",
      "kafka-2.internal:9093",
    ]);
    expect(brokerList().parse("[::1]:9092")).toEqual(["[::1]:9092"]);
  });
  it.each(["x", "host", "host:", "host:0", "host:70000", "a:1,,b:2", "a:1;b:2"])("rejects %j", (raw) => {
    expect(errorOf(brokerList(), raw)).toBe(`expected comma-separated host:port list, got ${JSON.stringify(raw)}`);
  });
});

describe("booleanFlag", () => {
  it.each([
    ["true", true],
    ["TRUE", true],
    ["1", true],
    ["false", false],
    ["0", false],
    [" False ", false],
  ] as const)("parses %j as %s", (raw, expected) => expect(booleanFlag().parse(raw)).toBe(expected));
  it("rejects anything else instead of treating it as false", () => {
    expect(errorOf(booleanFlag(), "yes")).toBe('expected true, false, 1 or 0, got "yes"');
  });
});

describe("durationMs", () => {
  it.each([
    ["250", 250],
    ["250ms", 250],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
  ] as const)("parses %j as %d ms", (raw, expected) => expect(durationMs().parse(raw)).toBe(expected));
  it.each(["1.5s", "10 sec", "-5", "s"])("rejects %j", (raw) => {
    expect(errorOf(durationMs(), raw)).toContain("expected a duration");
  });
});

describe("logLevel", () => {
  it("accepts pino levels case-insensitively", () => {
    expect(logLevel().parse("DEBUG")).toBe("debug");
    expect(logLevel().parse("silent")).toBe("silent");
  });
  it("lists the allowed levels when rejecting", () => {
    expect(errorOf(logLevel(), "verbose")).toBe(
      'expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
  });
});

describe("secrets", () => {
  it("keeps the value and never echoes it", () => {
    expect(secret().parse("s3cr3t")).toBe("s3cr3t");
    expect(optionalSecret().parse(undefined)).toBeUndefined();
    expect(errorOf(secret(), "   ")).toBe("expected a non-blank secret");
  });
});
