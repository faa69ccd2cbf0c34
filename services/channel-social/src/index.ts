import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { ChannelSocialModule, type ChannelSocialOptions } from "./channel-social.module.js";
import { CreateSocialTables1764500000400 } from "./migrations/1764500000400-CreateSocialTables.js";
import { CreateSocialListeningTables1764500000401 } from "./migrations/1764500000401-CreateSocialListeningTables.js";

/** channel-social with explicit options (tests: a ManualClock). */
export function createChannelSocialService(options: ChannelSocialOptions = {}): ServiceDefinition {
  return {
    name: "channel-social",
    module: ChannelSocialModule.register(options),
    migrations: [CreateSocialTables1764500000400, CreateSocialListeningTables1764500000401],
    topics: [Topics.ChannelSocialRequestsV1, Topics.ProfilesChangesV1, Topics.OutcomesV1, Topics.EventsV1],
    outbox: true,
  };
}

/** channel-social: posts to X, Facebook Pages, LinkedIn and Instagram, now or scheduled; publishes outcomes.v1. */
export const channelSocialService: ServiceDefinition = createChannelSocialService();
export { PollEngagementUseCase } from "./listening/use-cases/poll-engagement.use-case.js";
export { PollMentionsUseCase, socialContactId } from "./listening/use-cases/poll-mentions.use-case.js";
export { detectCrisis, type CrisisRule, type CrisisDecision } from "./listening/crisis-detector.js";
export { mentionSentiment } from "./listening/mention-sentiment.js";
export { SocialBackgroundWorker } from "./publishing/social-background.worker.js";
export { checkPost, xWeightedLength, extractHashtags, PLATFORM_LIMITS } from "./publishing/post-constraints.js";
