import { createHmac, timingSafeEqual } from "node:crypto";

/** Who an unsubscribe / preference link is for. */
export interface UnsubscribeSubject {
  w: string;
  c: string;
  e: string;
  k: string;
  /** The message's subscription topic, when any. */
  t?: string;
}

/** `<base64url(JSON)>.<base64url(HMAC-SHA256 with "unsubscribe:" domain separation)>` */
export function signUnsubscribeToken(subject: UnsubscribeSubject, secret: string): string {
  const body = Buffer.from(JSON.stringify(subject)).toString("base64url");
  return `${body}.${mac(body, secret)}`;
}

export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeSubject | undefined {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Partial<UnsubscribeSubject>;
    if (
      typeof parsed.w !== "string" ||
      typeof parsed.c !== "string" ||
      typeof parsed.e !== "string" ||
      typeof parsed.k !== "string"
    )
      return undefined;
    return {
      w: parsed.w,
      c: parsed.c,
      e: parsed.e,
      k: parsed.k,
      ...(typeof parsed.t === "string" ? { t: parsed.t } : {}),
    };
  } catch {
    return undefined;
  }
}

const mac = (body: string, secret: string): string =>
  createHmac("sha256", `unsubscribe:${secret}`).update(body).digest("base64url");
