import { SocialPlatform } from "@cascade/contracts";

/** The platforms channel-social publishes to, by the name used in keys, outcomes and the ledger. */
export type PlatformName = "x" | "facebook" | "linkedin" | "instagram";

export const PLATFORM_NAMES: ReadonlyArray<PlatformName> = ["x", "facebook", "linkedin", "instagram"];

/** The name of a proto platform; undefined for ones channel-social cannot post to (unspecified, Mastodon). */
export function platformName(platform: SocialPlatform): PlatformName | undefined {
  switch (platform) {
    case SocialPlatform.X:
      return "x";
    case SocialPlatform.FACEBOOK:
      return "facebook";
    case SocialPlatform.LINKEDIN:
      return "linkedin";
    case SocialPlatform.INSTAGRAM:
      return "instagram";
    case SocialPlatform.MASTODON:
    case SocialPlatform.UNSPECIFIED:
      return undefined;
  }
}

export function platformEnum(name: PlatformName): SocialPlatform {
  switch (name) {
    case "x":
      return SocialPlatform.X;
    case "facebook":
      return SocialPlatform.FACEBOOK;
    case "linkedin":
      return SocialPlatform.LINKEDIN;
    case "instagram":
      return SocialPlatform.INSTAGRAM;
  }
}

/** The idempotency key of one platform's post of a request: one ledger row and one outcome per platform. */
export function platformKey(requestKey: string, platform: PlatformName | string): string {
  return `${requestKey}:${platform}`;
}
