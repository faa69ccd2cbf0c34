import { booleanFlag, durationMs, httpUrl, loadConfig, optionalSecret, type Environment } from "@cascade/config";
import type { DefaultWorkspace } from "@cascade/runtime";
import { deriveTrackingSecret } from "@cascade/tracking";
import { z } from "zod";

const providerKind = z.enum(["mailgun", "sendgrid", "ses", "smtp", "outbox"]);
const hour = z.coerce.number().int().min(0).max(23);

/**
 * channel-email's own variables. Provider settings here are the fallback for workspaces that stored none
 * through `PUT /api/email/providers`; with neither, mail goes to the built-in outbox (`GET /api/email/outbox`).
 */
export const emailConfigSchema = z.object({
  /** Primary and secondary (failover) provider of workspaces without stored settings. */
  EMAIL_PROVIDER: providerKind.optional(),
  EMAIL_SECONDARY_PROVIDER: providerKind.optional(),
  EMAIL_DEFAULT_FROM: z.string().min(3).default("Cascade <no-reply@cascade.local>"),
  EMAIL_MAILGUN_API_KEY: optionalSecret(),
  EMAIL_MAILGUN_DOMAIN: z.string().min(1).optional(),
  EMAIL_MAILGUN_BASE_URL: httpUrl().default("https://api.mailgun.net"),
  EMAIL_SENDGRID_API_KEY: optionalSecret(),
  EMAIL_SENDGRID_BASE_URL: httpUrl().default("https://api.sendgrid.com"),
  EMAIL_SES_REGION: z.string().min(1).default("us-east-1"),
  EMAIL_SES_ENDPOINT: httpUrl().optional(),
  EMAIL_SES_ACCESS_KEY_ID: optionalSecret(),
  EMAIL_SES_SECRET_ACCESS_KEY: optionalSecret(),
  /** smtp://user:pass@host:port (smtps:// for implicit TLS). */
  EMAIL_SMTP_URL: optionalSecret(),
  /** Sends per second per provider account (token bucket shared by all replicas through PostgreSQL). */
  EMAIL_PROVIDER_RATE_PER_SECOND: z.coerce.number().positive().default(100),
  EMAIL_PROVIDER_TIMEOUT_MS: durationMs().default(10_000),
  /** Key (any string of 16+ characters; hashed to 256 bits) encrypting provider secrets stored per workspace. */
  EMAIL_SECRETS_KEY: optionalSecret(),
  /** Marketing mail needs consent: "explicit" (variables.contact.consent.email must be "granted") or "unless_denied". */
  EMAIL_MARKETING_CONSENT: z.enum(["explicit", "unless_denied"]).default("unless_denied"),
  EMAIL_FREQUENCY_CAP: z.coerce.number().int().min(0).default(3),
  EMAIL_FREQUENCY_WINDOW: durationMs().default(7 * 24 * 3_600_000),
  /** Quiet hours in the contact's timezone, [start, end) local hours; marketing mail waits until they end. */
  EMAIL_QUIET_HOURS_START: hour.default(21),
  EMAIL_QUIET_HOURS_END: hour.default(8),
  EMAIL_DEFAULT_TIMEZONE: z.string().min(1).default("UTC"),
  /** How often due deferred sends and stuck in-flight sends are looked at. */
  EMAIL_DEFERRED_POLL_INTERVAL: durationMs().default(5_000),
  /** A send still "sending" after this long (a crash) is reconciled. */
  EMAIL_RECONCILE_AFTER: durationMs().default(60_000),
  /** Transient provider failures are retried through the deferred table this many times, then failed. */
  EMAIL_MAX_SEND_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  EMAIL_RETRY_BACKOFF: durationMs().default(30_000),
  /**
   * Signs tracking (open pixel, click redirect; verified by ingest) and unsubscribe tokens. Unset: derived from the
   * default workspace's admin key, the same secret ingest derives (libs/tracking), so an installation works as is.
   */
  TRACKING_SECRET: optionalSecret(),
  /** Tracking through ingest's signed endpoints: ingest's public base URL. Unset: no pixel, links not rewritten. */
  EMAIL_TRACKING_BASE_URL: httpUrl().optional(),
  EMAIL_TRACKING_ENABLED: booleanFlag().default(true),
  /** Send-time optimisation: a contact with fewer opens + clicks than this gets the workspace's best hour. */
  EMAIL_SEND_TIME_MIN_EVENTS: z.coerce.number().int().min(1).default(5),
  /** Deliverability monitoring: sliding window of sends, check interval, alert thresholds (fractions) and minimum sample. */
  EMAIL_DELIVERABILITY_WINDOW: durationMs().default(24 * 3_600_000),
  EMAIL_DELIVERABILITY_INTERVAL: durationMs().default(60_000),
  EMAIL_BOUNCE_ALERT_RATE: z.coerce.number().min(0).max(1).default(0.05),
  EMAIL_COMPLAINT_ALERT_RATE: z.coerce.number().min(0).max(1).default(0.001),
  EMAIL_DELIVERABILITY_MIN_SAMPLE: z.coerce.number().int().min(1).default(100),
  /** Public base URL of this service for unsubscribe links and the preference page. */
  EMAIL_PUBLIC_BASE_URL: httpUrl().optional(),
  /** Base for relative image URLs in templates (a CDN). Without it a relative image URL is a render error. */
  EMAIL_ASSET_BASE_URL: httpUrl().optional(),
});

export type EmailConfig = z.output<typeof emailConfigSchema>;

/** Parses channel-email's variables once; TRACKING_SECRET falls back to the secret ingest derives from the admin key. */
export function loadEmailConfig(env: Environment, workspace: DefaultWorkspace): EmailConfig {
  const config = loadConfig(emailConfigSchema, env);
  return { ...config, TRACKING_SECRET: config.TRACKING_SECRET ?? deriveTrackingSecret(workspace.adminKey) };
}
export type ProviderKind = z.output<typeof providerKind>;
export const PROVIDER_KINDS = providerKind.options;

/** Injection token of the parsed EmailConfig. */
export const EMAIL_CONFIG = Symbol.for("cascade.channel-email.config");
