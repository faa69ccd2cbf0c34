import { hmacSha256Hex, sameHex } from "../../http/signatures.js";

/** Mailgun's webhook signature: HMAC-SHA256 of `timestamp + token` with the HTTP webhook signing key, hex. */
export function verifyMailgunSignature(
  signingKey: string,
  fields: { timestamp?: unknown; token?: unknown; signature?: unknown },
): boolean {
  const { timestamp, token, signature } = fields;
  if (typeof timestamp !== "string" && typeof timestamp !== "number") return false;
  if (typeof token !== "string" || typeof signature !== "string") return false;
  return sameHex(signature, hmacSha256Hex(signingKey, `${timestamp}${token}`));
}
