import { Inject, Injectable, Logger } from "@nestjs/common";
import { OutcomeStatus } from "@cascade/contracts";
import type { Clock } from "@cascade/compliance";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { SOCIAL_CLOCK, SOCIAL_CONFIG, SOCIAL_SCHEMA, type SocialConfig } from "../../social.config.js";
import type { PlatformName } from "../../publishing/platforms.js";
import { publishOutcomes, socialOutcome } from "../../publishing/social-outcomes.js";
import { SocialPostsRepository } from "../../publishing/social-posts.repository.js";
import { SocialPublishersRegistry } from "../../publishing/social-publishers.registry.js";

const BATCH = 100;

/**
 * Fetches likes, shares and comments of posts younger than SOCIAL_ENGAGEMENT_MAX_AGE_DAYS and, when they
 * changed, stores them and publishes an outcome: status DELIVERED (the post is live), reason
 * `engagement_update`, details {likes, shares, comments} — outcomes.v1 has no engagement status yet.
 */
@Injectable()
export class PollEngagementUseCase {
  private readonly logger = new Logger(PollEngagementUseCase.name);
  private readonly posts = new SocialPostsRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly publishers: SocialPublishersRegistry,
    @Inject(SOCIAL_CONFIG) private readonly config: SocialConfig,
    @Inject(SOCIAL_CLOCK) private readonly clock: Clock,
  ) {}

  /** One round (over every workspace's posts, or one's); returns how many posts were checked and how many had changed. */
  async execute(options: { workspaceId?: string } = {}): Promise<{ checked: number; changed: number }> {
    const since = new Date(this.clock.now().getTime() - this.config.SOCIAL_ENGAGEMENT_MAX_AGE_DAYS * 86_400_000);
    const posts = await this.posts.publishedSince(this.dataSource.manager, since, BATCH, options.workspaceId);
    let changed = 0;
    for (const post of posts) {
      const publisher = this.publishers.get(post.platform as PlatformName);
      if (!publisher) continue;
      try {
        const engagement = await publisher.fetchEngagement(post.postId);
        const updated = await this.dataSource.transaction(async (manager) => {
          const now = this.clock.now();
          if (!(await this.posts.updateEngagement(manager, post.workspaceId, post.idempotencyKey, engagement, now)))
            return false;
          await publishOutcomes(manager, [
            socialOutcome({ ...post, platform: post.platform }, now, {
              status: OutcomeStatus.DELIVERED,
              reason: "engagement_update",
              providerMessageId: post.postId,
              details: { likes: engagement.likes, shares: engagement.shares, comments: engagement.comments },
            }),
          ]);
          return true;
        });
        if (updated) changed++;
      } catch (error) {
        this.logger.warn(`engagement of ${post.platform} post ${post.postId} not fetched: ${String(error)}`);
      }
    }
    if (changed > 0) this.relays.notify(SOCIAL_SCHEMA);
    return { checked: posts.length, changed };
  }
}
