import { Module, type DynamicModule } from "@nestjs/common";
import type { Environment } from "@cascade/config";
import { DEFAULT_WORKSPACE, ENVIRONMENT, type DefaultWorkspace } from "@cascade/runtime";
import { AbTests } from "./ab-tests/ab-tests.js";
import { AbTestsController } from "./ab-tests/ab-tests.controller.js";
import { RecordConversionUseCase } from "./ab-tests/use-cases/record-conversion.use-case.js";
import { DeliverabilityMonitor } from "./deliverability/deliverability-monitor.js";
import { SendTimeOptimizer } from "./send-time/send-time-optimizer.js";
import { WorkspaceSettings } from "./settings/workspace-settings.js";
import { PartialsCache } from "./templates/partials-cache.js";
import { AdminKeyGuard } from "./admin/admin-key.guard.js";
import { EmailAdminController } from "./admin/email-admin.controller.js";
import { CLOCK, systemClock, type Clock } from "./clock.js";
import { EMAIL_CONFIG, loadEmailConfig } from "./config/email-config.js";
import { FeedbackConsumer } from "./feedback/feedback.consumer.js";
import { EraseContactUseCase } from "./feedback/use-cases/erase-contact.use-case.js";
import { RecordProviderEventUseCase } from "./feedback/use-cases/record-provider-event.use-case.js";
import { ProviderRegistry } from "./providers/provider-registry.js";
import { DeferredSendsPoller } from "./sending/deferred-sends.poller.js";
import { EmailRequestsConsumer } from "./sending/email-requests.consumer.js";
import { SendEmailUseCase } from "./sending/use-cases/send-email.use-case.js";
import { FormBodySetup } from "./sending/form-body.setup.js";
import { UnsubscribeController } from "./sending/unsubscribe.controller.js";

export interface ChannelEmailOptions {
  /** Time source (tests pass a ManualClock). */
  clock?: Clock;
}

@Module({})
export class ChannelEmailModule {
  static register(options: ChannelEmailOptions = {}): DynamicModule {
    return {
      module: ChannelEmailModule,
      controllers: [
        EmailRequestsConsumer,
        FeedbackConsumer,
        EmailAdminController,
        UnsubscribeController,
        AbTestsController,
      ],
      providers: [
        {
          provide: EMAIL_CONFIG,
          useFactory: (env: Environment, workspace: DefaultWorkspace) => loadEmailConfig(env, workspace),
          inject: [ENVIRONMENT, DEFAULT_WORKSPACE],
        },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        AdminKeyGuard,
        FormBodySetup,
        ProviderRegistry,
        SendEmailUseCase,
        RecordProviderEventUseCase,
        EraseContactUseCase,
        DeferredSendsPoller,
        AbTests,
        RecordConversionUseCase,
        SendTimeOptimizer,
        WorkspaceSettings,
        PartialsCache,
        DeliverabilityMonitor,
      ],
      exports: [DeferredSendsPoller, SendEmailUseCase, DeliverabilityMonitor],
    };
  }
}
