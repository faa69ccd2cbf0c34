import { createHmac, timingSafeEqual } from "node:crypto";

/** HMAC-SHA256 of `data` with `secret`, hex. */
export function hmacSha256Hex(secret: string, data: string | Buffer): string {
  return createHmac("sha256", secret).update(data).digest("hex");
}

/** Constant-time comparison of a given hex signature with the expected one (false for malformed input). */
export function sameHex(given: string | undefined, expected: string): boolean {
  if (!given || !/^[0-9a-fA-F]+$/.test(given)) return false;
  const left = Buffer.from(given.toLowerCase(), "hex");
  const right = Buffer.from(expected, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `sha256=<hex>` (the X-Hub-Signature-256 convention) over the raw body. */
export function verifySha256Header(header: string | string[] | undefined, secret: string, rawBody: Buffer): boolean {
  if (typeof header !== "string") return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  return match !== null && sameHex(match[1], hmacSha256Hex(secret, rawBody));
}
