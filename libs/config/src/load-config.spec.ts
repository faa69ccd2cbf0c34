import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseConfigFor, baseConfigSchema } from "./base-config.js";
import { ConfigError } from "./config-error.js";
import { booleanFlag, durationMs, optionalSecret } from "./fields.js";
import { exitOnConfigError, loadConfig } from "./load-config.js";

function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("applies the base defaults and parses the optional fields", () => {
    const config = loadConfig(baseConfigSchema, {
      SERVICE_NAME: "ingest",
      KAFKA_BROKERS: "127.0.0.1:9092",
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
    });
    expect(config).toEqual({
      SERVICE_NAME: "ingest",
      PORT: 3000,
      LOG_LEVEL: "info",
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
      KAFKA_BROKERS: ["127.0.0.1:9092"],
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("treats empty values as unset", () => {
    const config = loadConfig(baseConfigSchema, { SERVICE_NAME: "ingest", PORT: "", KAFKA_BROKERS: "  " });
    expect(config.PORT).toBe(3000);
    expect(config.KAFKA_BROKERS).toBeUndefined();
  });

  it("lists every bad variable by name and why", () => {
    const error = configErrorOf(() =>
      loadConfig(baseConfigSchema, {
        PORT: "http",
        KAFKA_BROKERS: "x",
        LOG_LEVEL: "loud",
        DATABASE_URL: "mysql://root:pw@db/x",
      }),
    );
    expect(error.issues).toEqual([
      { variable: "SERVICE_NAME", reason: "required but not set" },
      { variable: "PORT", reason: 'expected an integer port 0-65535, got "http"' },
      { variable: "LOG_LEVEL", reason: 'expected one of fatal, error, warn, info, debug, trace, silent, got "loud"' },
      { variable: "DATABASE_URL", reason: 'expected a postgres:// URL, got scheme "mysql:"' },
      { variable: "KAFKA_BROKERS", reason: 'expected comma-separated host:port list, got "x"' },
    ]);
    expect(error.message).toContain('KAFKA_BROKERS: expected comma-separated host:port list, got "x"');
    expect(error.message).toContain("SERVICE_NAME: required but not set");
    expect(error.message).not.toContain("pw@");
  });

  it("lets services extend the base schema and default their name", () => {
    const schema = baseConfigFor("channel-email").extend({
      SEND_TIMEOUT: durationMs().default(10_000),
      DRY_RUN: booleanFlag().default(false),
      MAILGUN_API_KEY: optionalSecret(),
    });
    const config = loadConfig(schema, { SEND_TIMEOUT: "30s", DRY_RUN: "1", UNRELATED: "ignored" });
    expect(config).toEqual({
      SERVICE_NAME: "channel-email",
      PORT: 3000,
      LOG_LEVEL: "info",
      SEND_TIMEOUT: 30_000,
      DRY_RUN: true,
    });
    expect(loadConfig(schema, { SERVICE_NAME: "cascade" }).SERVICE_NAME).toBe("cascade");
  });

  it("names the variable for plain zod fields written by a service", () => {
    const schema = z.object({ BATCH_SIZE: z.coerce.number().int().min(1) });
    expect(configErrorOf(() => loadConfig(schema, { BATCH_SIZE: "0" })).issues[0]?.variable).toBe("BATCH_SIZE");
  });
});

describe("exitOnConfigError", () => {
  class Exited extends Error {
    constructor(readonly code: number) {
      super(`exit ${code}`);
    }
  }
  const recorder = () => {
    const written: string[] = [];
    return {
      written,
      writeError: (text: string) => void written.push(text),
      exit: (code: number): never => {
        throw new Exited(code);
      },
    };
  };

  it("prints the ConfigError and exits 1", () => {
    const io = recorder();
    expect(() => exitOnConfigError(() => loadConfig(baseConfigSchema, { PORT: "x" }), io)).toThrow(new Exited(1));
    expect(io.written.join("")).toContain("SERVICE_NAME: required but not set");
    expect(io.written.join("")).toContain('PORT: expected an integer port 0-65535, got "x"');
  });

  it("returns the config when it is valid and rethrows other errors", () => {
    const io = recorder();
    expect(exitOnConfigError(() => loadConfig(baseConfigSchema, { SERVICE_NAME: "studio" }), io).SERVICE_NAME).toBe(
      "studio",
    );
    expect(() =>
      exitOnConfigError(() => {
        throw new RangeError("boom");
      }, io),
    ).toThrow(RangeError);
    expect(io.written).toEqual([]);
  });
});
