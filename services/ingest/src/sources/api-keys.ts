import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new secret key, e.g. `wk_…` (write key) or `ak_…` (admin key): 24 random bytes, base64url. */
export function generateKey(prefix: "wk" | "ak" | "whsec"): string {
  return `${prefix}_${randomBytes(24).toString("base64url")}`;
}

/** Keys are stored as their SHA-256 (hex); the key itself is shown once, when created. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** The first characters of a key, stored to tell keys apart in listings (`wk_AbCdEf…`). */
export function displayPrefix(key: string): string {
  return `${key.slice(0, 9)}…`;
}

/** A short random id with a kind prefix, e.g. `src_3k9…`. */
export function newId(kind: "src" | "ak" | "hook"): string {
  return `${kind}_${randomBytes(9).toString("base64url")}`;
}

/** Constant-time comparison of two secrets. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
