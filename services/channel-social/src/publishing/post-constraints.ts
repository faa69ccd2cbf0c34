import type { PlatformName } from "./platforms.js";

/** A post as it would go to one platform. */
export interface PlatformPost {
  platform: PlatformName;
  text: string;
  mediaUrls: ReadonlyArray<string>;
}

export type MediaKind = "image" | "video";

export type ConstraintCheck =
  | { ok: true; length: number; media: ReadonlyArray<{ url: string; kind: MediaKind }> }
  | { ok: false; reason: string; message: string; details: Record<string, string | number> };

interface PlatformLimits {
  /** Longest text, in the platform's own way of counting. */
  maxLength: number;
  /** How many media items one post may carry through channel-social's adapter. */
  maxMedia: number;
  requiresMedia: boolean;
  /** Whether the adapter can publish video. */
  video: boolean;
  maxHashtags?: number;
}

/**
 * Limits per platform. X: 280 weighted characters (URLs count 23). Facebook Pages: 63,206. LinkedIn
 * commentary: 3,000. Instagram caption: 2,200 and 30 hashtags, one image or video required.
 * Media: the adapters do not upload media to X or LinkedIn (their upload APIs are not implemented), so a post
 * with media there fails before sending rather than going out without its picture. Facebook takes one image
 * (Page photo post), Instagram one image or one video (Reels).
 */
export const PLATFORM_LIMITS: Readonly<Record<PlatformName, PlatformLimits>> = {
  x: { maxLength: 280, maxMedia: 0, requiresMedia: false, video: false },
  facebook: { maxLength: 63_206, maxMedia: 1, requiresMedia: false, video: false },
  linkedin: { maxLength: 3_000, maxMedia: 0, requiresMedia: false, video: false },
  instagram: { maxLength: 2_200, maxMedia: 1, requiresMedia: true, video: true, maxHashtags: 30 },
};

/** Checks a post against its platform's limits before anything is sent. */
export function checkPost(post: PlatformPost): ConstraintCheck {
  const limits = PLATFORM_LIMITS[post.platform];
  const text = post.text.normalize("NFC");
  if (text.trim() === "" && post.mediaUrls.length === 0)
    return fail("empty_post", `text: a ${post.platform} post needs text or media`, {});
  const length = post.platform === "x" ? xWeightedLength(text) : [...text].length;
  if (length > limits.maxLength) {
    return fail("text_too_long", `text: ${length} characters, ${post.platform} allows ${limits.maxLength}`, {
      length,
      max_length: limits.maxLength,
    });
  }
  if (limits.maxHashtags !== undefined) {
    const hashtags = extractHashtags(text).length;
    if (hashtags > limits.maxHashtags)
      return fail("too_many_hashtags", `text: ${hashtags} hashtags, ${post.platform} allows ${limits.maxHashtags}`, {
        hashtags,
        max_hashtags: limits.maxHashtags,
      });
  }
  if (limits.requiresMedia && post.mediaUrls.length === 0)
    return fail("media_required", `media_urls: ${post.platform} posts need an image or a video`, {});
  if (post.mediaUrls.length > limits.maxMedia) {
    const reason = limits.maxMedia === 0 ? "media_not_supported" : "too_many_media";
    return fail(
      reason,
      `media_urls: ${post.mediaUrls.length} given, channel-social posts at most ${limits.maxMedia} to ${post.platform}`,
      { media: post.mediaUrls.length, max_media: limits.maxMedia },
    );
  }
  const media: Array<{ url: string; kind: MediaKind }> = [];
  for (const [index, url] of post.mediaUrls.entries()) {
    if (!isHttpUrl(url))
      return fail("invalid_media_url", `media_urls[${index}]: "${url}" is not an http(s) URL`, { index });
    const kind = mediaKind(url);
    if (kind === "video" && !limits.video)
      return fail("video_not_supported", `media_urls[${index}]: video is not supported on ${post.platform}`, { index });
    media.push({ url, kind });
  }
  return { ok: true, length, media };
}

/** The URL length X charges for any link (t.co wrapping). */
export const X_URL_LENGTH = 23;
const URL_PATTERN = /https?:\/\/[^\s]+/giu;

/**
 * X's weighted length (twitter-text v3 configuration): a URL counts 23; a code point in Latin, general
 * punctuation and similar ranges counts 1; every other code point (CJK, emoji) counts 2. Simplification: an
 * emoji ZWJ sequence is counted per code point, so it may count a little more than X does — never less.
 */
export function xWeightedLength(text: string): number {
  let weight = 0;
  const withoutUrls = text.normalize("NFC").replace(URL_PATTERN, () => {
    weight += X_URL_LENGTH;
    return "";
  });
  for (const char of withoutUrls) weight += lightCodePoint(char.codePointAt(0) ?? 0) ? 1 : 2;
  return weight;
}

function lightCodePoint(code: number): boolean {
  return (
    code <= 4351 || (code >= 8192 && code <= 8205) || (code >= 8208 && code <= 8223) || (code >= 8242 && code <= 8247)
  );
}

/** Hashtags in a text, lower-cased without "#", in order of appearance. */
export function extractHashtags(text: string): string[] {
  return [
    ...text.replace(URL_PATTERN, " ").matchAll(/(?:^|[^\p{L}\p{N}_&])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu),
  ].map((match) => (match[1] ?? "").toLowerCase());
}

const VIDEO_EXTENSIONS = /\.(mp4|mov|m4v|webm)$/i;

function mediaKind(url: string): MediaKind {
  return VIDEO_EXTENSIONS.test(new URL(url).pathname) ? "video" : "image";
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function fail(reason: string, message: string, details: Record<string, string | number>): ConstraintCheck {
  return { ok: false, reason, message, details };
}
