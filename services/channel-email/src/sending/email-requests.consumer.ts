import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type EmailRequest } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { SendEmailUseCase } from "./use-cases/send-email.use-case.js";

/**
 * Consumer groups. The bus runs one Kafka consumer per subscription, and consumers of one group must subscribe to
 * the same topics, so each topic gets its own group: events.v1 under the service name, the others suffixed.
 */
export const CHANNEL_EMAIL_GROUP = "channel-email";
export const EMAIL_REQUESTS_GROUP = "channel-email.requests";
export const PROFILE_CHANGES_GROUP = "channel-email.profiles";

/** channel.email.requests.v1 → one send. Idempotency is the send ledger's (keyed by the request's idempotency key). */
@Controller()
export class EmailRequestsConsumer {
  constructor(private readonly sendEmail: SendEmailUseCase) {}

  @Consume(Topics.ChannelEmailRequestsV1, { group: EMAIL_REQUESTS_GROUP })
  async onRequest(@Payload() message: Delivered<EmailRequest>): Promise<HandlerResult> {
    const result = await this.sendEmail.execute(message.value, "request");
    return result === "duplicate" ? "duplicate" : "processed";
  }
}
