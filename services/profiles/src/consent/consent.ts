import { SystemEvents, type JsonObject, type JsonValue } from "@cascade/contracts";

/** Channels a contact gives or withdraws consent for. */
export const CONSENT_CHANNELS = ["email", "sms", "push"] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export type ConsentState = "granted" | "denied" | "pending";

/** One statement of consent found in an event, before it is compared with what the contact has. */
export interface ConsentSignal {
  channel: ConsentChannel;
  status: ConsentState;
  /** Where it came from, e.g. `signup_form`, `unsubscribe_link`, `sms_keyword`, `api`. */
  source: string;
}

/** The consent a contact has on one channel, with its evidence (when, from where, which message). */
export interface ChannelConsentRecord {
  channel: ConsentChannel;
  status: ConsentState;
  source: string;
  updatedAt: Date;
  messageId: string;
}

/** The trait identify calls carry consent in; it is stored as consent, not as a trait. */
export const CONSENT_TRAIT = "consent";
export const ConsentEvents = { Granted: "consent_granted", Revoked: "consent_revoked" } as const;

/**
 * Consent statements carried by an event (normalized name, properties, traits):
 * - email_unsubscribed / email_complained → email denied; sms_opted_out / sms_opted_in → sms denied / granted;
 * - `consent_granted` / `consent_revoked` track events with properties `channel` (email|sms|push), optional
 *   `source` (default "api") and, for granted, optional `status: "pending"` (double opt-in not yet confirmed);
 * - identify traits `consent: { email: true | false | "granted" | "denied" | "pending" | { status, source } }`
 *   (default source "identify").
 * Statements naming an unknown channel or status are ignored.
 */
export function consentSignalsOf(
  eventName: string,
  properties: JsonObject,
  traits: JsonObject | undefined,
): ConsentSignal[] {
  const source = (fallback: string): string => stringOr(properties.source, fallback);
  switch (eventName) {
    case SystemEvents.EmailUnsubscribed:
      return [{ channel: "email", status: "denied", source: source("unsubscribe_link") }];
    case SystemEvents.EmailComplained:
      return [{ channel: "email", status: "denied", source: source("spam_complaint") }];
    case SystemEvents.SmsOptedOut:
      return [{ channel: "sms", status: "denied", source: source("sms_keyword") }];
    case SystemEvents.SmsOptedIn:
      return [{ channel: "sms", status: "granted", source: source("sms_keyword") }];
    case ConsentEvents.Granted:
    case ConsentEvents.Revoked: {
      const channel = channelOf(properties.channel);
      if (!channel) return [];
      const status: ConsentState =
        eventName === ConsentEvents.Revoked ? "denied" : properties.status === "pending" ? "pending" : "granted";
      return [{ channel, status, source: source("api") }];
    }
    default:
      return traits ? consentFromTraits(traits) : [];
  }
}

function consentFromTraits(traits: JsonObject): ConsentSignal[] {
  const consent = traits[CONSENT_TRAIT];
  if (!isObject(consent)) return [];
  const signals: ConsentSignal[] = [];
  for (const [key, value] of Object.entries(consent)) {
    const channel = channelOf(key);
    if (!channel) continue;
    const statement = isObject(value) ? value : { status: value };
    const status = statusOf(statement.status ?? null);
    if (status) signals.push({ channel, status, source: stringOr(statement.source, "identify") });
  }
  return signals;
}

/**
 * Whether a statement made at `at` replaces the current consent: the later statement wins (by event time),
 * so consent ends the same whatever order events arrive in. Equal times: the later-processed one wins.
 */
export function supersedes(current: ChannelConsentRecord | undefined, at: Date): boolean {
  return current === undefined || current.updatedAt.getTime() <= at.getTime();
}

function channelOf(value: JsonValue | undefined): ConsentChannel | undefined {
  return typeof value === "string" && (CONSENT_CHANNELS as readonly string[]).includes(value)
    ? (value as ConsentChannel)
    : undefined;
}

function statusOf(value: JsonValue): ConsentState | undefined {
  if (value === true || value === "granted") return "granted";
  if (value === false || value === "denied") return "denied";
  if (value === "pending") return "pending";
  return undefined;
}

function stringOr(value: JsonValue | undefined, fallback: string): string {
  return typeof value === "string" && value.trim() !== "" ? value : fallback;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
