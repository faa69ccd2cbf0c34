import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import {
  EventType,
  OutcomeStatus,
  timestampDate,
  Topics,
  type Event,
  type Outcome,
  type ProfileChange,
} from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { ApplyProfileChangeUseCase } from "../contacts/use-cases/apply-profile-change.use-case.js";
import { ConsumerGroups } from "../runs/run-executor.js";
import { HandleContactEventUseCase } from "./use-cases/handle-contact-event.use-case.js";
import { RecordOutcomeUseCase } from "./use-cases/record-outcome.use-case.js";

/** events.v1 (waits, goals), outcomes.v1 (step outcomes) and profiles.changes.v1 (contact projection, exit conditions). */
@Controller()
export class ContactSignalsConsumer {
  constructor(
    private readonly handleEvent: HandleContactEventUseCase,
    private readonly recordOutcome: RecordOutcomeUseCase,
    private readonly applyProfileChange: ApplyProfileChangeUseCase,
  ) {}

  @Consume(Topics.EventsV1, { group: ConsumerGroups.events })
  async onEvent(@Payload() message: Delivered<Event>): Promise<HandlerResult> {
    const event = message.value;
    const name = eventNameOf(event);
    if (event.contactId === "" || name === "") return "skipped";
    // The orchestrator's own contact updates come back here; they never resume anything.
    if (event.context?.source === "orchestrator") return "skipped";
    return this.handleEvent.execute({
      messageId: message.id,
      workspaceId: event.envelope?.workspace ?? "",
      contactId: event.contactId,
      event: {
        id: message.id,
        name,
        timestamp: event.timestamp ? timestampDate(event.timestamp).toISOString() : null,
        properties: event.properties ?? {},
        context: event.context ?? {},
        traits: event.traits ?? {},
      },
    });
  }

  @Consume(Topics.OutcomesV1, { group: ConsumerGroups.outcomes })
  async onOutcome(@Payload() message: Delivered<Outcome>): Promise<HandlerResult> {
    const outcome = message.value;
    if (outcome.runId === "" || outcome.idempotencyKey === "") return "skipped";
    return this.recordOutcome.execute({
      messageId: message.id,
      runId: outcome.runId,
      idempotencyKey: outcome.idempotencyKey,
      status: (OutcomeStatus[outcome.status] ?? "UNSPECIFIED").toLowerCase(),
      reason: outcome.reason,
    });
  }

  @Consume(Topics.ProfilesChangesV1, { group: ConsumerGroups.profiles })
  async onProfileChange(@Payload() message: Delivered<ProfileChange>): Promise<HandlerResult> {
    const change = message.value;
    if (change.contactId === "") return "skipped";
    return this.applyProfileChange.execute(message.id, change.envelope?.workspace ?? "", change);
  }
}

function eventNameOf(event: Event): string {
  switch (event.type) {
    case EventType.TRACK:
      return event.event;
    case EventType.PAGE:
    case EventType.SCREEN:
      return event.type === EventType.PAGE ? "page_view" : "screen_view";
    case EventType.IDENTIFY:
      return "identify";
    default:
      return event.event;
  }
}
