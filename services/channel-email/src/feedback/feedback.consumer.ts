import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type Event, type ProfileChange } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { CHANNEL_EMAIL_GROUP, PROFILE_CHANGES_GROUP } from "../sending/email-requests.consumer.js";
import { RecordConversionUseCase } from "../ab-tests/use-cases/record-conversion.use-case.js";
import { EraseContactUseCase } from "./use-cases/erase-contact.use-case.js";
import { RecordProviderEventUseCase } from "./use-cases/record-provider-event.use-case.js";

/** Provider callbacks and A/B conversion events from events.v1, and erasures from profiles.changes.v1. */
@Controller()
export class FeedbackConsumer {
  constructor(
    private readonly recordProviderEvent: RecordProviderEventUseCase,
    private readonly eraseContact: EraseContactUseCase,
    private readonly recordConversion: RecordConversionUseCase,
  ) {}

  @Consume(Topics.EventsV1, { group: CHANNEL_EMAIL_GROUP })
  async onEvent(@Payload() message: Delivered<Event>): Promise<HandlerResult> {
    if (!RecordProviderEventUseCase.handles(message.value)) {
      return RecordConversionUseCase.handles(message.value) ? this.recordConversion.execute(message.value) : "skipped";
    }
    return this.recordProviderEvent.execute(message.id, message.value);
  }

  @Consume(Topics.ProfilesChangesV1, { group: PROFILE_CHANGES_GROUP })
  async onProfileChange(@Payload() message: Delivered<ProfileChange>): Promise<HandlerResult> {
    const change = message.value;
    if (change.change.case !== "erased" || !change.envelope?.workspace || !change.contactId) return "skipped";
    return this.eraseContact.execute(message.id, change.envelope.workspace, change.contactId);
  }
}
