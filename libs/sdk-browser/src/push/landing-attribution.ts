import type { JsonObject } from "../messages.js";

/**
 * Conversion attribution on the site: channel-push adds `cascade_push=<push message id>` to the URL a
 * notification opens. The push module keeps that id for the attribution window and adds it to the context of
 * every message sent meanwhile (`context.push.message_id`), so channel-push can credit a conversion event to
 * the push even when the visitor's id changed in between (log-in, another tab).
 */
export interface LandingAttribution {
  messageId: string;
  /** When the visitor landed from the notification (ms since the epoch). */
  landedAt: number;
}

/** The URL parameter channel-push adds to notification links (PUSH_LANDING_PARAMETER). */
export const DEFAULT_LANDING_PARAMETER = "cascade_push";

const MAX_MESSAGE_ID_LENGTH = 256;

/** The push this page was opened from, if its URL carries the landing parameter. */
export function landingFrom(search: string, parameter: string, now: number): LandingAttribution | undefined {
  const messageId = new URLSearchParams(search).get(parameter)?.trim();
  if (!messageId || messageId.length > MAX_MESSAGE_ID_LENGTH) return undefined;
  return { messageId, landedAt: now };
}

/** The stored landing while it is within the window, else undefined. */
export function activeLanding(
  stored: LandingAttribution | undefined,
  now: number,
  windowMs: number,
): LandingAttribution | undefined {
  if (!stored || now < stored.landedAt || now - stored.landedAt > windowMs) return undefined;
  return stored;
}

/** What is added to each message's context while the landing is active. */
export function landingContext(landing: LandingAttribution | undefined): JsonObject | undefined {
  return landing
    ? { push: { message_id: landing.messageId, landed_at: new Date(landing.landedAt).toISOString() } }
    : undefined;
}

export function parseLanding(raw: string | null): LandingAttribution | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<LandingAttribution>;
    return typeof value.messageId === "string" && typeof value.landedAt === "number"
      ? { messageId: value.messageId, landedAt: value.landedAt }
      : undefined;
  } catch {
    return undefined;
  }
}
