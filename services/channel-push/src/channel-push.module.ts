import { Module, type DynamicModule } from "@nestjs/common";
import { loadConfig, type Environment } from "@cascade/config";
import { systemClock, type Clock } from "@cascade/compliance";
import { ENVIRONMENT } from "@cascade/runtime";
import { PUSH_CLOCK, PUSH_CONFIG, pushConfigSchema } from "./push.config.js";
import { PushProviderRegistry } from "./sending/push-provider.registry.js";
import { PushConsumer, PushProfilesConsumer } from "./sending/push.consumer.js";
import { SendPushUseCase } from "./sending/use-cases/send-push.use-case.js";
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
      controllers: [PushConsumer, PushProfilesConsumer, PushSubscriptionsController],
      providers: [
        {
          provide: PUSH_CONFIG,
          useFactory: (env: Environment) => loadConfig(pushConfigSchema, env),
          inject: [ENVIRONMENT],
        },
        { provide: PUSH_CLOCK, useValue: options.clock ?? systemClock },
        PushProviderRegistry,
        SendPushUseCase,
        PushWriteKeyGuard,
      ],
    };
  }
}
