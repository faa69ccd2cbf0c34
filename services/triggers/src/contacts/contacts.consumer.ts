import { Controller, Logger } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { timestampDate, Topics, type ProfileChange } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { TriggersGroups } from "../shared/constants.js";
import { TriggersMetrics } from "../shared/triggers-metrics.js";
import { contactViewOf } from "./contact-view.js";
import { ApplyProfileChangeUseCase } from "./use-cases/apply-profile-change.use-case.js";

/** Reads profiles.changes.v1 into the contact projection. */
@Controller()
export class ContactsConsumer {
  private readonly log = new Logger(ContactsConsumer.name);

  constructor(
    private readonly applyChange: ApplyProfileChangeUseCase,
    private readonly metrics: TriggersMetrics,
  ) {}

  @Consume(Topics.ProfilesChangesV1, { group: TriggersGroups.profiles })
  async onProfileChange(@Payload() message: Delivered<ProfileChange>): Promise<HandlerResult> {
    const change = message.value;
    const workspaceId = change.envelope?.workspace ?? "";
    const reason = !workspaceId ? "missing_workspace" : !change.contactId ? "missing_contact" : undefined;
    if (reason) return this.skip(message, reason);
    if (change.change.case === "erased") {
      return this.applyChange.execute({
        kind: "erased",
        messageId: message.id,
        workspaceId,
        contactId: change.contactId,
      });
    }
    if (!change.state) return this.skip(message, "missing_state");
    const changedAt = change.envelope?.occurredAt ? timestampDate(change.envelope.occurredAt) : new Date();
    return this.applyChange.execute({
      kind: "snapshot",
      messageId: message.id,
      workspaceId,
      contact: contactViewOf(change.contactId, change.state),
      changedAt,
      mergedFrom: change.change.case === "merged" ? change.change.value.mergedFrom : [],
    });
  }

  private skip(message: Delivered<ProfileChange>, reason: string): HandlerResult {
    this.metrics.skipped.inc({ topic: Topics.ProfilesChangesV1.name, reason });
    this.log.warn({
      msg: "profile change skipped",
      reason,
      messageId: message.id,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
    });
    return "skipped";
  }
}
