import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type Event } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { toInboundEvent } from "./inbound-event.js";
import { ApplyEventUseCase, PROFILES_GROUP } from "./use-cases/apply-event.use-case.js";

/** Reads events.v1 for the profiles service: decode (done by the bus), normalize, call the use case. */
@Controller()
export class ContactsConsumer {
  constructor(private readonly applyEvent: ApplyEventUseCase) {}

  @Consume(Topics.EventsV1, { group: PROFILES_GROUP })
  async onEvent(@Payload() message: Delivered<Event>): Promise<HandlerResult> {
    const event = toInboundEvent(message.id, message.value);
    if (!event) return "skipped";
    return this.applyEvent.execute(event);
  }
}
