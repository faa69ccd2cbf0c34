import { z } from "zod";

const clockTime = z.string().regex(/^([01]\d|2[0-3]):([0-5]\d)$/, "must be a time of day HH:MM");
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** channel-sms settings (SMS_*, TWILIO_*, MESSAGEBIRD_*). Provider credentials may be absent: sends then fail with provider_not_configured. */
export const smsConfigSchema = z.object({
  SMS_PROVIDER: z.enum(["twilio", "messagebird"]).default("twilio"),
  SMS_DEFAULT_FROM: z.string().optional(),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_BASE_URL: z.url().default("https://api.twilio.com"),
  MESSAGEBIRD_ACCESS_KEY: z.string().optional(),
  MESSAGEBIRD_BASE_URL: z.url().default("https://rest.messagebird.com"),
  /** Public URL of ingest's SMS status callback; workspace, contact and key are added as query parameters. */
  SMS_STATUS_CALLBACK_URL: z.url().optional(),
  SMS_PROVIDER_TIMEOUT_MS: positiveInt(10_000),
  SMS_QUIET_HOURS_START: clockTime.default("08:00"),
  SMS_QUIET_HOURS_END: clockTime.default("21:00"),
  /** Used when the request gives no timezone for the contact. */
  SMS_DEFAULT_TIMEZONE: z.string().default("UTC"),
  /** Marketing messages per contact in a rolling window, across all workflows. */
  SMS_MARKETING_CAP_MAX: z.coerce.number().int().nonnegative().default(3),
  SMS_MARKETING_CAP_WINDOW_HOURS: z.coerce.number().positive().default(24),
  SMS_PRICE_PER_SEGMENT: z.coerce.number().nonnegative().default(0.0079),
  SMS_PRICE_CURRENCY: z.string().length(3).default("USD"),
  SMS_HELP_TEXT: z.string().default("Reply STOP to unsubscribe. Msg&data rates may apply."),
  SMS_DEFERRED_POLL_MS: positiveInt(5_000),
  /** A send still `sending` after this long is reconciled to `unknown`. */
  SMS_IN_FLIGHT_TIMEOUT_MS: positiveInt(120_000),
  SMS_RETRY_DELAY_MS: positiveInt(30_000),
  SMS_MAX_ATTEMPTS: positiveInt(5),
});

export type SmsConfig = z.output<typeof smsConfigSchema>;
/** Injection token of the parsed settings. */
export const SMS_CONFIG = Symbol.for("cascade.channel-sms.config");
export const SMS_CLOCK = Symbol.for("cascade.channel-sms.clock");
export const SMS_SCHEMA = "channel_sms";
export const SMS_GROUP = "channel-sms";
/**
 * Consumer groups per topic. The convention is one group (the service name) for every topic, but libs/bus
 * runs one kafkajs consumer per (topic, group), and several consumers with different subscriptions in one
 * group starve each other (the group assigns a topic to a member that did not subscribe to it). Until the
 * bus consumes several topics per group, each topic after the first gets its own group.
 */
export const SMS_EVENTS_GROUP = "channel-sms.events";
export const SMS_PROFILES_GROUP = "channel-sms.profiles";
