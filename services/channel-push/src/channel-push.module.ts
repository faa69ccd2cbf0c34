import { Module, type DynamicModule } from "@nestjs/common";
import { loadConfig, type Environment } from "@cascade/config";
import { systemClock, type Clock } from "@cascade/compliance";
import { ENVIRONMENT } from "@cascade/runtime";
import { PushEngagementConsumer } from "./engagement/push-engagement.consumer.js";
import { AttributeConversionUseCase } from "./engagement/use-cases/attribute-conversion.use-case.js";
import { RecordPushEngagementUseCase } from "./engagement/use-cases/record-push-engagement.use-case.js";
import { PUSH_CLOCK, PUSH_CONFIG, pushConfigSchema } from "./push.config.js";
import { PushProviderRegistry } from "./sending/push-provider.registry.js";
import { PushConsumer, PushProfilesConsumer } from "./sending/push.consumer.js";
import { SendPushUseCase } from "./sending/use-cases/send-push.use-case.js";
import { PushHttpSetup } from "./subscriptions/push-http.setup.js";
import { PushSubscriptionsController } from "./subscriptions/push-subscriptions.controller.js";
import { PushWriteKeyGuard } from "./subscriptions/write-key.guard.js";

export interface ChannelPushOptions {
  clock?: Clock;
}

@Module({})
export class ChannelPushModule {
  static register(options: ChannelPushOptions = {}): DynamicModule {
    return {
      module: ChannelPushModule,
      controllers: [PushConsumer, PushProfilesConsumer, PushEngagementConsumer, PushSubscriptionsController],
      providers: [
        {
          provide: PUSH_CONFIG,
          useFactory: (env: Environment) => loadConfig(pushConfigSchema, env),
          inject: [ENVIRONMENT],
        },
        { provide: PUSH_CLOCK, useValue: options.clock ?? systemClock },
        PushProviderRegistry,
        SendPushUseCase,
        RecordPushEngagementUseCase,
        AttributeConversionUseCase,
        PushWriteKeyGuard,
        PushHttpSetup,
      ],
    };
  }
}
