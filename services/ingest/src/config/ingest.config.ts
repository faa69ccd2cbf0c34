import { deriveTrackingSecret } from "@cascade/tracking";
import { z } from "zod";
import { httpUrl, loadConfig, optionalSecret, type Environment } from "@cascade/config";
import type { DefaultWorkspace } from "@cascade/runtime";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The variables ingest reads (and only these). */
export const ingestConfigSchema = z.object({
  /** Sustained messages per second per write key (token bucket refill); a source may override it. */
  INGEST_RATE_LIMIT_PER_SECOND: positiveInt(1_000),
  /** Bucket size: how many messages a write key may send in a burst. Default: twice the rate. */
  INGEST_RATE_LIMIT_BURST: z.coerce.number().int().positive().optional(),
  /** How long a messageId is remembered for de-duplication. */
  INGEST_DEDUP_TTL_HOURS: positiveInt(24),
  /** Public base URL of ingest (Twilio signs the URL it called; behind a proxy the Host header may differ). */
  INGEST_PUBLIC_URL: httpUrl().optional(),
  /** Mailgun "HTTP webhook signing key" (events and inbound routes). Unset: the Mailgun endpoints answer 404. */
  INGEST_MAILGUN_SIGNING_KEY: optionalSecret(),
  /** Twilio auth token (X-Twilio-Signature). Unset: the Twilio endpoints answer 404. */
  INGEST_TWILIO_AUTH_TOKEN: optionalSecret(),
  /** Secret of the social mention/share webhook (X-Hub-Signature-256). Unset: the endpoint answers 404. */
  INGEST_SOCIAL_WEBHOOK_SECRET: optionalSecret(),
  /**
   * Signs email open/click tracking tokens; shared with channel-email, which signs them. Unset: derived from the
   * default workspace's admin key (see `trackingSecretFor`), so an embedded installation works out of the box.
   */
  TRACKING_SECRET: optionalSecret(),
  /** The bus is Kafka (distributed) when set; only used to decide how loudly to warn about a derived secret. */
  KAFKA_BROKERS: z.string().optional(),
});

export type IngestSettings = z.output<typeof ingestConfigSchema>;

/** Injection token and type of ingest's parsed settings. */
export abstract class IngestConfig {
  abstract readonly rateLimitPerSecond: number;
  abstract readonly rateLimitBurst: number;
  abstract readonly dedupTtlMs: number;
  abstract readonly publicUrl: string | undefined;
  abstract readonly mailgunSigningKey: string | undefined;
  abstract readonly twilioAuthToken: string | undefined;
  abstract readonly socialWebhookSecret: string | undefined;
  abstract readonly trackingSecret: string;
  /** True when TRACKING_SECRET was not set and the secret was derived from the admin key. */
  abstract readonly trackingSecretDerived: boolean;
  abstract readonly distributed: boolean;
}

/** Parses ingest's variables once; a bad value stops start-up naming the variable. */
export function loadIngestConfig(env: Environment, workspace: DefaultWorkspace): IngestConfig {
  const settings = loadConfig(ingestConfigSchema, env);
  return {
    rateLimitPerSecond: settings.INGEST_RATE_LIMIT_PER_SECOND,
    rateLimitBurst: settings.INGEST_RATE_LIMIT_BURST ?? settings.INGEST_RATE_LIMIT_PER_SECOND * 2,
    dedupTtlMs: settings.INGEST_DEDUP_TTL_HOURS * 3_600_000,
    publicUrl: settings.INGEST_PUBLIC_URL,
    mailgunSigningKey: settings.INGEST_MAILGUN_SIGNING_KEY,
    twilioAuthToken: settings.INGEST_TWILIO_AUTH_TOKEN,
    socialWebhookSecret: settings.INGEST_SOCIAL_WEBHOOK_SECRET,
    trackingSecret: settings.TRACKING_SECRET ?? trackingSecretFor(workspace.adminKey),
    trackingSecretDerived: settings.TRACKING_SECRET === undefined,
    distributed: settings.KAFKA_BROKERS !== undefined,
  };
}

/** The tracking secret when TRACKING_SECRET is unset (shared with channel-email through libs/tracking). */
export const trackingSecretFor = deriveTrackingSecret;
