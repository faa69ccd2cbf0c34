import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { EventType, timestampDate, Topics, type Event } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { PROFILES_GROUP, RecordActivityUseCase } from "./use-cases/record-activity.use-case.js";

/** Reads events.v1 for the profiles service: decode (done by the bus), build the command, call the use case. */
@Controller()
export class ContactsConsumer {
  constructor(private readonly recordActivity: RecordActivityUseCase) {}

  @Consume(Topics.EventsV1, { group: PROFILES_GROUP })
  async onEvent(@Payload() message: Delivered<Event>): Promise<HandlerResult> {
    const event = message.value;
    if (!event.contactId || !event.envelope) return "skipped";
    return this.recordActivity.execute({
      messageId: message.id,
      workspaceId: event.envelope.workspace,
      contactId: event.contactId,
      event: event.event || EventType[event.type].toLowerCase(),
      occurredAt: event.timestamp ? timestampDate(event.timestamp) : new Date(),
    });
  }
}
