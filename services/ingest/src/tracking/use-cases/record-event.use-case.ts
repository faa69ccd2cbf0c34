import { Inject, Injectable } from "@nestjs/common";
import { create, EventSchema, EventType, newEnvelope, timestampFromDate, Topics, type Event, type JsonObject } from "@cascade/contracts";
import type { Bus } from "@cascade/bus";
import { BUS } from "@cascade/runtime";

export interface RecordEventCommand {
  workspaceId: string;
  type: EventType;
  userId?: string;
  anonymousId?: string;
  messageId?: string;
  event?: string;
  name?: string;
  category?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp?: string;
  sentAt?: string;
  receivedAt: Date;
}

/**
 * Turns one tracking call into an events.v1 message keyed by contact, and resolves only once the bus has
 * acknowledged it (Kafka: acks=all), so a 200 to the client means the event is durable.
 */
@Injectable()
export class RecordEventUseCase {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  async execute(command: RecordEventCommand): Promise<Event> {
    // Until identity resolution (profiles) exists, the contact is the known user, else the anonymous id.
    const contactId = command.userId ?? command.anonymousId ?? "";
    const event = create(EventSchema, {
      envelope: newEnvelope(command.workspaceId, command.receivedAt),
      type: command.type,
      event: command.event ?? "",
      name: command.name ?? "",
      category: command.category ?? "",
      contactId,
      userId: command.userId ?? "",
      anonymousId: command.anonymousId ?? "",
      messageId: command.messageId ?? "",
      properties: command.properties as JsonObject | undefined,
      traits: command.traits as JsonObject | undefined,
      context: command.context as JsonObject | undefined,
      timestamp: timestampFromDate(command.timestamp ? new Date(command.timestamp) : command.receivedAt),
      sentAt: command.sentAt ? timestampFromDate(new Date(command.sentAt)) : undefined,
      receivedAt: timestampFromDate(command.receivedAt),
    });
    await this.bus.publish(Topics.EventsV1, [{ value: event }]);
    return event;
  }
}
