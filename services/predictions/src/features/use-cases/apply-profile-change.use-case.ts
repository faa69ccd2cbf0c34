import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { DataSource } from "typeorm";
import { PredictionsConfig } from "../../config/predictions.config.js";
import { PendingScoringRepository } from "../../scoring/pending-scoring.repository.js";
import { PredictionsRepository } from "../../scoring/predictions.repository.js";
import { Clock } from "../../shared/clock.js";
import { PREDICTIONS_SCHEMA, PredictionsGroups } from "../../shared/model-names.js";
import { ActivityRepository } from "../activity.repository.js";
import { ContactFeaturesRepository } from "../contact-features.repository.js";

export type ProfileChangeCommand =
  | {
      readonly kind: "engagement_score";
      readonly messageId: string;
      readonly workspaceId: string;
      readonly contactId: string;
      readonly score: number;
      readonly occurredAt: Date;
    }
  | { readonly kind: "erased"; readonly messageId: string; readonly workspaceId: string; readonly contactId: string };

/**
 * Applies a profiles.changes.v1 change: an engagement-score change is logged (the engagement_score feature
 * reads it) and reschedules scoring; ContactErased deletes everything the service holds about the contact
 * (activity, features, predictions, pending scoring). Idempotent through the ledger.
 */
@Injectable()
export class ApplyProfileChangeUseCase {
  private readonly activity = new ActivityRepository();
  private readonly features = new ContactFeaturesRepository();
  private readonly predictions = new PredictionsRepository();
  private readonly pending = new PendingScoringRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: PredictionsConfig,
    private readonly clock: Clock,
  ) {}

  execute(command: ProfileChangeCommand): Promise<"processed" | "duplicate"> {
    const { workspaceId, contactId } = command;
    return handleOnce(
      this.dataSource,
      { schema: PREDICTIONS_SCHEMA, group: PredictionsGroups.profiles, messageId: command.messageId },
      async (manager) => {
        switch (command.kind) {
          case "erased":
            await this.activity.erase(manager, workspaceId, contactId);
            await this.features.erase(manager, workspaceId, contactId);
            await this.predictions.erase(manager, workspaceId, contactId);
            return;
          case "engagement_score":
            await this.activity.record(
              manager,
              workspaceId,
              {
                contactId,
                occurredAt: command.occurredAt,
                kind: "engagement_score",
                itemId: null,
                durationSeconds: 0,
                value: command.score,
              },
              command.messageId,
            );
            await this.pending.schedule(
              manager,
              workspaceId,
              contactId,
              new Date(this.clock.now().getTime() + this.config.scoringDebounceMs),
            );
            return;
        }
      },
    );
  }
}
