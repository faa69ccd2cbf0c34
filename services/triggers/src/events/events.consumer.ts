import { Controller, Logger } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type Event } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { readInboundEvent } from "../matching/inbound-event.js";
import { TriggersGroups } from "../shared/constants.js";
import { TriggersMetrics } from "../shared/triggers-metrics.js";
import { EvaluateEventUseCase } from "./use-cases/evaluate-event.use-case.js";

/** Reads events.v1 for the triggers service; an event missing a needed field is skipped with a reason, never retried. */
@Controller()
export class EventsConsumer {
  private readonly log = new Logger(EventsConsumer.name);

  constructor(
    private readonly evaluateEvent: EvaluateEventUseCase,
    private readonly metrics: TriggersMetrics,
  ) {}

  @Consume(Topics.EventsV1, { group: TriggersGroups.events })
  async onEvent(@Payload() message: Delivered<Event>): Promise<HandlerResult> {
    const read = readInboundEvent(message.id, message.value);
    if (!read.ok) {
      this.metrics.skipped.inc({ topic: Topics.EventsV1.name, reason: read.reason });
      this.log.warn({
        msg: "event skipped",
        reason: read.reason,
        messageId: message.id,
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
      });
      return "skipped";
    }
    return this.evaluateEvent.execute(read.event);
  }
}
