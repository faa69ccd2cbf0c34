import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { ScoreKind, timestampDate, Topics, type Event, type ProfileChange } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { PredictionsGroups } from "../shared/model-names.js";
import { activityOf } from "./activity.js";
import { ApplyProfileChangeUseCase } from "./use-cases/apply-profile-change.use-case.js";
import { RecordActivityUseCase } from "./use-cases/record-activity.use-case.js";

/** Reads events.v1 and profiles.changes.v1 into the contact's activity log and features. */
@Controller()
export class FeaturesConsumer {
  constructor(
    private readonly recordActivity: RecordActivityUseCase,
    private readonly applyProfileChange: ApplyProfileChangeUseCase,
  ) {}

  @Consume(Topics.EventsV1, { group: PredictionsGroups.events })
  async onEvent(@Payload() message: Delivered<Event>): Promise<HandlerResult> {
    const activity = activityOf(message.value);
    if (activity === undefined) return "skipped";
    const { workspaceId, ...rest } = activity;
    return this.recordActivity.execute({ messageId: message.id, workspaceId, activity: rest });
  }

  @Consume(Topics.ProfilesChangesV1, { group: PredictionsGroups.profiles })
  async onProfileChange(@Payload() message: Delivered<ProfileChange>): Promise<HandlerResult> {
    const change = message.value;
    const workspaceId = change.envelope?.workspace ?? "";
    if (!workspaceId || !change.contactId) return "skipped";
    const base = { messageId: message.id, workspaceId, contactId: change.contactId };
    switch (change.change.case) {
      case "erased":
        return this.applyProfileChange.execute({ kind: "erased", ...base });
      case "scoreChanged":
        if (change.change.value.score !== ScoreKind.ENGAGEMENT) return "skipped";
        return this.applyProfileChange.execute({
          kind: "engagement_score",
          ...base,
          score: change.change.value.current,
          occurredAt: change.envelope?.occurredAt ? timestampDate(change.envelope.occurredAt) : new Date(),
        });
      case "created":
      case "updated":
      case "traitsChanged":
      case "consentChanged":
      case "merged":
      case undefined:
        // Merges reach the activity log as the merged contact's own events; nothing else feeds a feature.
        return "skipped";
    }
  }
}
