import { Module, type DynamicModule } from "@nestjs/common";
import { loadConfig, type Environment } from "@cascade/config";
import { systemClock, type Clock } from "@cascade/compliance";
import { ENVIRONMENT } from "@cascade/runtime";
import { SmsEventsConsumer } from "./inbound/sms-events.consumer.js";
import { EraseSmsContactUseCase } from "./inbound/use-cases/erase-sms-contact.use-case.js";
import { RecordDeliveryReportUseCase } from "./inbound/use-cases/record-delivery-report.use-case.js";
import { RecordSmsKeywordUseCase } from "./inbound/use-cases/record-sms-keyword.use-case.js";
import { SmsBackgroundWorker } from "./sending/sms-background.worker.js";
import { SmsProviderRegistry } from "./sending/sms-provider.registry.js";
import { SmsRequestsConsumer } from "./sending/sms-requests.consumer.js";
import { SendSmsUseCase } from "./sending/use-cases/send-sms.use-case.js";
import { SMS_CLOCK, SMS_CONFIG, smsConfigSchema } from "./sms.config.js";

export interface ChannelSmsOptions {
  /** Time source for quiet hours, schedules and caps; tests pass a ManualClock. */
  clock?: Clock;
}

@Module({})
export class ChannelSmsModule {
  static register(options: ChannelSmsOptions = {}): DynamicModule {
    return {
      module: ChannelSmsModule,
      controllers: [SmsRequestsConsumer, SmsEventsConsumer],
      providers: [
        {
          provide: SMS_CONFIG,
          useFactory: (env: Environment) => loadConfig(smsConfigSchema, env),
          inject: [ENVIRONMENT],
        },
        { provide: SMS_CLOCK, useValue: options.clock ?? systemClock },
        SmsProviderRegistry,
        SendSmsUseCase,
        RecordSmsKeywordUseCase,
        RecordDeliveryReportUseCase,
        EraseSmsContactUseCase,
        SmsBackgroundWorker,
      ],
    };
  }
}
