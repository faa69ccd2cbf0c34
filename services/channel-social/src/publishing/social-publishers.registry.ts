import { Inject, Injectable } from "@nestjs/common";
import { SOCIAL_CONFIG, type SocialConfig } from "../social.config.js";
import type { PlatformName } from "./platforms.js";
import { FacebookPublisher } from "./providers/facebook.provider.js";
import { InstagramPublisher } from "./providers/instagram.provider.js";
import { LinkedInPublisher } from "./providers/linkedin.provider.js";
import type { SocialPublisher } from "./providers/social-provider.js";
import { XPublisher } from "./providers/x.provider.js";

/** The publisher of each platform whose credentials are configured. */
@Injectable()
export class SocialPublishersRegistry {
  private readonly publishers = new Map<PlatformName, SocialPublisher>();

  constructor(@Inject(SOCIAL_CONFIG) config: SocialConfig) {
    for (const publisher of buildPublishers(config)) this.publishers.set(publisher.platform, publisher);
  }

  get(platform: PlatformName): SocialPublisher | undefined {
    return this.publishers.get(platform);
  }
}

export function buildPublishers(config: SocialConfig): SocialPublisher[] {
  const timeoutMs = config.SOCIAL_PROVIDER_TIMEOUT_MS;
  const publishers: SocialPublisher[] = [];
  if (config.X_ACCESS_TOKEN)
    publishers.push(new XPublisher({ accessToken: config.X_ACCESS_TOKEN, baseUrl: config.X_BASE_URL, timeoutMs }));
  if (config.FACEBOOK_PAGE_ID && config.FACEBOOK_PAGE_ACCESS_TOKEN) {
    publishers.push(
      new FacebookPublisher({
        pageId: config.FACEBOOK_PAGE_ID,
        pageAccessToken: config.FACEBOOK_PAGE_ACCESS_TOKEN,
        baseUrl: config.FACEBOOK_BASE_URL,
        apiVersion: config.FACEBOOK_API_VERSION,
        timeoutMs,
      }),
    );
  }
  if (config.LINKEDIN_ACCESS_TOKEN && config.LINKEDIN_ORGANIZATION_URN) {
    publishers.push(
      new LinkedInPublisher({
        accessToken: config.LINKEDIN_ACCESS_TOKEN,
        organizationUrn: config.LINKEDIN_ORGANIZATION_URN,
        baseUrl: config.LINKEDIN_BASE_URL,
        version: config.LINKEDIN_VERSION,
        timeoutMs,
      }),
    );
  }
  if (config.INSTAGRAM_USER_ID && config.INSTAGRAM_ACCESS_TOKEN) {
    publishers.push(
      new InstagramPublisher({
        igUserId: config.INSTAGRAM_USER_ID,
        accessToken: config.INSTAGRAM_ACCESS_TOKEN,
        baseUrl: config.INSTAGRAM_BASE_URL,
        apiVersion: config.FACEBOOK_API_VERSION,
        timeoutMs,
        pollMs: config.INSTAGRAM_CONTAINER_POLL_MS,
        pollAttempts: config.INSTAGRAM_CONTAINER_POLL_ATTEMPTS,
      }),
    );
  }
  return publishers;
}

/** Posts allowed per workspace and platform in a rolling 24 hours. */
export function dailyLimit(config: SocialConfig, platform: PlatformName): number {
  switch (platform) {
    case "x":
      return config.SOCIAL_X_POSTS_PER_DAY;
    case "facebook":
      return config.SOCIAL_FACEBOOK_POSTS_PER_DAY;
    case "linkedin":
      return config.SOCIAL_LINKEDIN_POSTS_PER_DAY;
    case "instagram":
      return config.SOCIAL_INSTAGRAM_POSTS_PER_DAY;
  }
}
