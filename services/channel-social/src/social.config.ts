import { z } from "zod";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

/**
 * channel-social settings (SOCIAL_*, X_*, FACEBOOK_*, LINKEDIN_*, INSTAGRAM_*). A platform whose credentials are
 * absent is "not configured": posts to it become FAILED outcomes with reason platform_not_configured.
 * Base URLs point at the real APIs in production and at local servers in tests.
 */
export const socialConfigSchema = z.object({
  /** OAuth 2.0 user-context access token (tweet.write) of the brand account. */
  X_ACCESS_TOKEN: z.string().optional(),
  X_BASE_URL: z.url().default("https://api.x.com"),
  /** The brand account's numeric user id, whose mentions are polled; polling is off without it. */
  X_USER_ID: z.string().regex(/^\d+$/, "must be the numeric X user id").optional(),
  FACEBOOK_PAGE_ID: z.string().optional(),
  FACEBOOK_PAGE_ACCESS_TOKEN: z.string().optional(),
  /** Graph API host for Facebook Pages and Instagram. */
  FACEBOOK_BASE_URL: z.url().default("https://graph.facebook.com"),
  FACEBOOK_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, "must look like v21.0")
    .default("v21.0"),
  INSTAGRAM_USER_ID: z.string().optional(),
  INSTAGRAM_ACCESS_TOKEN: z.string().optional(),
  INSTAGRAM_BASE_URL: z.url().default("https://graph.facebook.com"),
  /** How often / how many times a video container's status is checked before media_publish. */
  INSTAGRAM_CONTAINER_POLL_MS: positiveInt(2_000),
  INSTAGRAM_CONTAINER_POLL_ATTEMPTS: positiveInt(30),
  LINKEDIN_ACCESS_TOKEN: z.string().optional(),
  /** The company page that posts, e.g. urn:li:organization:2414183. */
  LINKEDIN_ORGANIZATION_URN: z
    .string()
    .regex(/^urn:li:organization:\d+$/, "must be urn:li:organization:<id>")
    .optional(),
  LINKEDIN_BASE_URL: z.url().default("https://api.linkedin.com"),
  /** LinkedIn-Version header (YYYYMM). */
  LINKEDIN_VERSION: z
    .string()
    .regex(/^\d{6}$/, "must be YYYYMM")
    .default("202411"),
  SOCIAL_PROVIDER_TIMEOUT_MS: positiveInt(15_000),
  /** Per-platform posting limits per workspace in a rolling 24 hours; a post over the limit waits (deferred). */
  SOCIAL_X_POSTS_PER_DAY: nonNegativeInt(100),
  SOCIAL_FACEBOOK_POSTS_PER_DAY: nonNegativeInt(200),
  SOCIAL_LINKEDIN_POSTS_PER_DAY: nonNegativeInt(150),
  SOCIAL_INSTAGRAM_POSTS_PER_DAY: nonNegativeInt(25),
  SOCIAL_DEFERRED_POLL_MS: positiveInt(5_000),
  /** A post still `sending` after this long is reconciled to `unknown` (never reposted blindly). */
  SOCIAL_IN_FLIGHT_TIMEOUT_MS: positiveInt(120_000),
  SOCIAL_RETRY_DELAY_MS: positiveInt(60_000),
  SOCIAL_MAX_ATTEMPTS: positiveInt(5),
  /** Engagement of posts younger than this many days is fetched every SOCIAL_ENGAGEMENT_POLL_MS. */
  SOCIAL_ENGAGEMENT_POLL_MS: positiveInt(900_000),
  SOCIAL_ENGAGEMENT_MAX_AGE_DAYS: positiveInt(7),
  SOCIAL_MENTIONS_POLL_MS: positiveInt(60_000),
  /** Auto-response to someone who shares (quotes / reposts) a brand post; {handle} is replaced. Empty: off. */
  SOCIAL_THANK_SHARER_TEXT: z.string().max(200).default("Thanks for sharing, @{handle}!"),
  /**
   * Crisis alert: an ALERT outcome when the share of negative mentions in the last SOCIAL_CRISIS_WINDOW_MINUTES
   * exceeds SOCIAL_CRISIS_FACTOR × the baseline share over the SOCIAL_CRISIS_BASELINE_DAYS before it (the baseline
   * is at least SOCIAL_CRISIS_BASELINE_FLOOR), with at least SOCIAL_CRISIS_MIN_MENTIONS mentions in the window.
   */
  SOCIAL_CRISIS_FACTOR: z.coerce.number().positive().default(3),
  SOCIAL_CRISIS_WINDOW_MINUTES: positiveInt(60),
  SOCIAL_CRISIS_BASELINE_DAYS: positiveInt(7),
  SOCIAL_CRISIS_BASELINE_FLOOR: z.coerce.number().min(0).max(1).default(0.05),
  SOCIAL_CRISIS_MIN_MENTIONS: positiveInt(5),
});

export type SocialConfig = z.output<typeof socialConfigSchema>;
export const SOCIAL_CONFIG = Symbol.for("cascade.channel-social.config");
export const SOCIAL_CLOCK = Symbol.for("cascade.channel-social.clock");
export const SOCIAL_SCHEMA = "channel_social";
export const SOCIAL_GROUP = "channel-social";
/** Consumer group (and ledger group) of profiles.changes.v1: one group per topic, as libs/bus needs. */
export const SOCIAL_PROFILES_GROUP = "channel-social.profiles";
