import { Module, type DynamicModule } from "@nestjs/common";
import { loadConfig, type Environment } from "@cascade/config";
import { systemClock, type Clock } from "@cascade/compliance";
import { ENVIRONMENT } from "@cascade/runtime";
import { EraseSocialContactUseCase } from "./contacts/erase-social-contact.use-case.js";
import { SocialContactsConsumer } from "./contacts/social-contacts.consumer.js";
import { SocialAdminKeyGuard } from "./listening/social-admin-key.guard.js";
import { SocialInsightsController } from "./listening/social-insights.controller.js";
import { SocialListeningWorker } from "./listening/social-listening.worker.js";
import { PollEngagementUseCase } from "./listening/use-cases/poll-engagement.use-case.js";
import { PollMentionsUseCase } from "./listening/use-cases/poll-mentions.use-case.js";
import { SocialBackgroundWorker } from "./publishing/social-background.worker.js";
import { SocialPublishersRegistry } from "./publishing/social-publishers.registry.js";
import { SocialRequestsConsumer } from "./publishing/social-requests.consumer.js";
import { PublishSocialPostUseCase } from "./publishing/use-cases/publish-social-post.use-case.js";
import { SOCIAL_CLOCK, SOCIAL_CONFIG, socialConfigSchema } from "./social.config.js";

export interface ChannelSocialOptions {
  /** Time source for schedules, rate limits and polling windows; tests pass a ManualClock. */
  clock?: Clock;
}

@Module({})
export class ChannelSocialModule {
  static register(options: ChannelSocialOptions = {}): DynamicModule {
    return {
      module: ChannelSocialModule,
      controllers: [SocialRequestsConsumer, SocialContactsConsumer, SocialInsightsController],
      providers: [
        {
          provide: SOCIAL_CONFIG,
          useFactory: (env: Environment) => loadConfig(socialConfigSchema, env),
          inject: [ENVIRONMENT],
        },
        { provide: SOCIAL_CLOCK, useValue: options.clock ?? systemClock },
        SocialPublishersRegistry,
        EraseSocialContactUseCase,
        PublishSocialPostUseCase,
        SocialBackgroundWorker,
        PollEngagementUseCase,
        PollMentionsUseCase,
        SocialListeningWorker,
        SocialAdminKeyGuard,
      ],
    };
  }
}
