import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type SmsRequest } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { SMS_GROUP } from "../sms.config.js";
import { SendSmsUseCase } from "./use-cases/send-sms.use-case.js";

/** channel.sms.requests.v1 → SendSmsUseCase. */
@Controller()
export class SmsRequestsConsumer {
  constructor(private readonly sendSms: SendSmsUseCase) {}

  @Consume(Topics.ChannelSmsRequestsV1, { group: SMS_GROUP })
  onRequest(@Payload() message: Delivered<SmsRequest>): Promise<HandlerResult> {
    return this.sendSms.execute({ request: message.value, source: "request" });
  }
}
