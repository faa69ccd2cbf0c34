import type { JsonObject, JsonValue } from "@cascade/contracts";
import { isValidTimeZone } from "@cascade/compliance";

/** TCPA consent evidence carried by a request: when, where, and optionally the IP and wording shown. */
export interface ConsentEvidence {
  grantedAt: Date;
  source: string;
  [extra: string]: unknown;
}

/** Contact data channel-sms reads from the request's variables (until SmsRequest has fields for them). */
export interface SmsContactContext {
  /** ISO 3166-1 alpha-2, for numbers written without "+". */
  country?: string;
  /** IANA zone for quiet hours. */
  timezone?: string;
  consent?: ConsentEvidence;
  /** Scheduled send time. */
  sendAt?: Date;
}

export type ContextResult = { ok: true; context: SmsContactContext } | { ok: false; reason: string };

/**
 * Reads `country`, `timezone`, `send_at` and `sms_consent` ({ granted_at, source, ip?, text? }) from the
 * variables, or from a nested `contact` object. A present but malformed value is an error naming the field.
 */
export function readContactContext(variables: JsonObject | undefined): ContextResult {
  const contact = asObject(variables?.contact);
  const pick = (name: string): JsonValue | undefined => variables?.[name] ?? contact?.[name];
  const context: SmsContactContext = {};

  const country = pick("country");
  if (country !== undefined && country !== null) {
    if (typeof country !== "string" || !/^[A-Za-z]{2}$/.test(country))
      return fail(`variables.country: "${String(country)}" is not an ISO 3166-1 alpha-2 code`);
    context.country = country.toUpperCase();
  }
  const timezone = pick("timezone");
  if (timezone !== undefined && timezone !== null) {
    if (typeof timezone !== "string" || !isValidTimeZone(timezone))
      return fail(`variables.timezone: "${String(timezone)}" is not an IANA time zone`);
    context.timezone = timezone;
  }
  const sendAt = pick("send_at");
  if (sendAt !== undefined && sendAt !== null) {
    const at = typeof sendAt === "string" ? new Date(sendAt) : new Date(NaN);
    if (Number.isNaN(at.getTime())) return fail(`variables.send_at: "${String(sendAt)}" is not an ISO 8601 date-time`);
    context.sendAt = at;
  }
  const consent = pick("sms_consent");
  if (consent !== undefined && consent !== null) {
    const evidence = asObject(consent);
    if (!evidence) return fail("variables.sms_consent: must be an object { granted_at, source, ip?, text? }");
    const grantedAt = typeof evidence.granted_at === "string" ? new Date(evidence.granted_at) : new Date(NaN);
    if (Number.isNaN(grantedAt.getTime()))
      return fail("variables.sms_consent.granted_at: required, an ISO 8601 date-time");
    if (typeof evidence.source !== "string" || evidence.source.trim() === "")
      return fail("variables.sms_consent.source: required (where the opt-in was collected)");
    context.consent = { ...evidence, grantedAt, source: evidence.source };
  }
  return { ok: true, context };
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}

const fail = (reason: string): ContextResult => ({ ok: false, reason });
