import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed tokens for the email open pixel (`/t/o/:token`) and click redirect (`/t/c/:token`). channel-email
 * signs them when it renders a message; ingest verifies them. A token cannot be forged or altered without
 * the workspace's tracking secret, so the click redirect only ever goes to a URL that Cascade itself signed.
 */
export interface TrackedMessage {
  /** Workspace id. */
  w: string;
  /** Contact id. */
  c: string;
  /** The send's idempotency key (run + node), linking the open or click to the send. */
  k: string;
  /** Run, node and workflow, when the send came from a workflow. */
  r?: string;
  n?: string;
  f?: string;
  /** A/B variant id, when there was one. */
  v?: string;
}

export interface OpenToken extends TrackedMessage {
  t: "open";
}

export interface ClickToken extends TrackedMessage {
  t: "click";
  /** The original link. */
  u: string;
  /** Campaign UTM parameters to add where the link has none of its own. */
  utm?: Record<string, string>;
}

export type TrackingToken = OpenToken | ClickToken;

export class TrackingTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrackingTokenError";
  }
}

const mac = (body: string, secret: string): Buffer => createHmac("sha256", secret).update(body).digest();

/** `<base64url(JSON)>.<base64url(HMAC-SHA256)>` */
export function signTrackingToken(token: TrackingToken, secret: string): string {
  if (secret.length < 16) throw new TrackingTokenError("tracking secret must be at least 16 characters");
  const body = Buffer.from(JSON.stringify(token)).toString("base64url");
  return `${body}.${mac(body, secret).toString("base64url")}`;
}

/** Returns the token's content, or throws TrackingTokenError when it is malformed or its signature is wrong. */
export function verifyTrackingToken(raw: string, secret: string): TrackingToken {
  const [body, signature, extra] = raw.split(".");
  if (!body || !signature || extra !== undefined) throw new TrackingTokenError("malformed tracking token");
  const expected = mac(body, secret);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new TrackingTokenError("bad tracking token signature");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw new TrackingTokenError("malformed tracking token");
  }
  if (!isToken(parsed)) throw new TrackingTokenError("tracking token content is incomplete");
  return parsed;
}

function isToken(value: unknown): value is TrackingToken {
  if (!value || typeof value !== "object") return false;
  const token = value as Record<string, unknown>;
  const base = typeof token.w === "string" && typeof token.c === "string" && typeof token.k === "string";
  if (token.t === "open") return base;
  if (token.t === "click") return base && typeof token.u === "string" && /^https?:\/\//i.test(token.u);
  return false;
}

/** The open pixel URL for a message. `baseUrl` is the public URL of ingest (e.g. https://track.example.com). */
export function openPixelUrl(baseUrl: string, message: TrackedMessage, secret: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/t/o/${signTrackingToken({ ...message, t: "open" }, secret)}`;
}

/** The click-tracking URL that redirects to `url`. */
export function clickTrackingUrl(
  baseUrl: string,
  message: TrackedMessage,
  url: string,
  secret: string,
  utm?: Record<string, string>,
): string {
  const token: ClickToken = { ...message, t: "click", u: url, ...(utm ? { utm } : {}) };
  return `${baseUrl.replace(/\/+$/, "")}/t/c/${signTrackingToken(token, secret)}`;
}

/**
 * The tracking secret when TRACKING_SECRET is not set: derived from the installation's admin key, so every
 * service of one installation (ingest verifies, channel-email signs) agrees without extra configuration.
 * Set TRACKING_SECRET explicitly in production so rotating the admin key does not invalidate sent links.
 */
export function deriveTrackingSecret(adminKey: string): string {
  return createHmac("sha256", adminKey).update("cascade.tracking-secret.v1").digest("base64url");
}
