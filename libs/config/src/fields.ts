import { z } from "zod";

/**
 * Reusable zod fields for environment variables. Every field takes the raw string and says, on
 * failure, what it expected and what it got, so `ConfigError` can name the variable and the reason.
 * Fields that may hold credentials (URLs with passwords, secrets) never echo the value.
 */

const MAX_SHOWN_LENGTH = 60;

/** Quotes a raw value for an error message, cut to a readable length. */
export function shown(value: string): string {
  const cut = value.length > MAX_SHOWN_LENGTH ? `${value.slice(0, MAX_SHOWN_LENGTH)}…` : value;
  return JSON.stringify(cut);
}

function isPortNumber(text: string, allowZero: boolean): boolean {
  if (!/^\d{1,5}$/.test(text)) return false;
  const value = Number(text);
  return value <= 65_535 && (allowZero || value > 0);
}

/** A TCP port to listen on, 0-65535 (0 asks the OS for a free one, handy in tests). */
export function port() {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (!isPortNumber(text, true)) {
      ctx.addIssue({ code: "custom", message: `expected an integer port 0-65535, got ${shown(raw)}` });
      return z.NEVER;
    }
    return Number(text);
  });
}

/**
 * A PostgreSQL connection URL (`postgres://` or `postgresql://`). The value is never echoed, because
 * it usually carries a password.
 */
export function postgresUrl() {
  return z.string().transform((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      ctx.addIssue({
        code: "custom",
        message: "expected a postgres://user[:password]@host[:port]/database URL, got an unparseable value",
      });
      return z.NEVER;
    }
    if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
      ctx.addIssue({ code: "custom", message: `expected a postgres:// URL, got scheme ${shown(url.protocol)}` });
      return z.NEVER;
    }
    if (url.hostname === "") {
      ctx.addIssue({ code: "custom", message: "expected a postgres:// URL with a host name" });
      return z.NEVER;
    }
    return raw.trim();
  });
}

/** An http:// or https:// URL, e.g. an OTLP collector endpoint. Returned without a trailing slash. */
export function httpUrl() {
  return z.string().transform((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      ctx.addIssue({ code: "custom", message: `expected an http(s):// URL, got ${shown(raw)}` });
      return z.NEVER;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: `expected an http(s):// URL, got scheme ${shown(url.protocol)}` });
      return z.NEVER;
    }
    return raw.trim().replace(/\/+$/, "");
  });
}

const HOST_PORT = /^(?<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?<port>\d{1,5})$/;

/** A comma-separated list of Kafka brokers, `host:port[,host:port...]`, parsed to `string[]`. */
export function brokerList() {
  return z.string().transform((raw, ctx) => {
    const entries = raw.split(",").map((entry) => entry.trim());
    const valid =
      entries.length > 0 &&
      entries.every((entry) => {
        const match = HOST_PORT.exec(entry);
        return match?.groups !== undefined && isPortNumber(match.groups["port"] ?? "", false);
      });
    if (!valid) {
      ctx.addIssue({ code: "custom", message: `expected comma-separated host:port list, got ${shown(raw)}` });
      return z.NEVER;
    }
    return entries;
  });
}

const TRUE_WORDS = new Set(["true", "1"]);
const FALSE_WORDS = new Set(["false", "0"]);

/** A boolean written as `true`/`false`/`1`/`0` (case-insensitive). Anything else is an error, not `false`. */
export function booleanFlag() {
  return z.string().transform((raw, ctx) => {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    ctx.addIssue({ code: "custom", message: `expected true, false, 1 or 0, got ${shown(raw)}` });
    return z.NEVER;
  });
}

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(?<amount>\d+)(?<unit>ms|s|m|h)?$/;

/** A duration parsed to milliseconds: `250` (ms), `250ms`, `30s`, `5m` or `1h`. */
export function durationMs() {
  return z.string().transform((raw, ctx) => {
    const match = DURATION.exec(raw.trim());
    const groups = match?.groups;
    if (groups === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `expected a duration such as 500, 500ms, 30s, 5m or 1h, got ${shown(raw)}`,
      });
      return z.NEVER;
    }
    const unit = (groups["unit"] ?? "ms") as keyof typeof DURATION_UNITS_MS;
    return Number(groups["amount"]) * DURATION_UNITS_MS[unit];
  });
}

/** The pino log levels, most severe first; `silent` turns logging off. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A pino log level (case-insensitive). */
export function logLevel() {
  return z.string().transform((raw, ctx): LogLevel => {
    const level = raw.trim().toLowerCase();
    const known = LOG_LEVELS.find((candidate) => candidate === level);
    if (known === undefined) {
      ctx.addIssue({ code: "custom", message: `expected one of ${LOG_LEVELS.join(", ")}, got ${shown(raw)}` });
      return z.NEVER;
    }
    return known;
  });
}

/** A required secret (API key, token). Must not be blank; its value never appears in an error. */
export function secret() {
  return z.string().transform((raw, ctx) => {
    if (raw.trim() === "") {
      ctx.addIssue({ code: "custom", message: "expected a non-blank secret" });
      return z.NEVER;
    }
    return raw;
  });
}

/** A secret that may be left unset (the feature it enables is then off). */
export function optionalSecret() {
  return secret().optional();
}

/** A service name: lower-case letters, digits and dashes, starting with a letter (`channel-email`). */
export function serviceName() {
  return z.string().transform((raw, ctx) => {
    const name = raw.trim();
    if (!/^[a-z][a-z0-9-]*$/.test(name)) {
      ctx.addIssue({
        code: "custom",
        message: `expected lower-case letters, digits and dashes (e.g. channel-email), got ${shown(raw)}`,
      });
      return z.NEVER;
    }
    return name;
  });
}
