import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { DataSource } from "typeorm";
import { PredictionsConfig } from "../../config/predictions.config.js";
import { PendingScoringRepository } from "../../scoring/pending-scoring.repository.js";
import { Clock } from "../../shared/clock.js";
import { PREDICTIONS_SCHEMA, PredictionsGroups } from "../../shared/model-names.js";
import { TrainingScheduleRepository } from "../../training/schedule.repository.js";
import { firstTrainingRuns } from "../../training/training-intervals.js";
import type { Activity } from "../activity.js";
import { ActivityRepository } from "../activity.repository.js";

export interface RecordActivityCommand {
  readonly messageId: string;
  readonly workspaceId: string;
  readonly activity: Activity;
}

/**
 * Records one event in the contact's activity log and (re)schedules the contact for scoring one debounce
 * later, with the processed-messages record, in one transaction. The first activity of a workspace seen
 * by this process also makes sure the workspace has training schedule rows.
 */
@Injectable()
export class RecordActivityUseCase {
  private readonly activity = new ActivityRepository();
  private readonly pending = new PendingScoringRepository();
  private readonly schedule = new TrainingScheduleRepository();
  private readonly scheduledWorkspaces = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: PredictionsConfig,
    private readonly clock: Clock,
  ) {}

  async execute(command: RecordActivityCommand): Promise<"processed" | "duplicate"> {
    const { workspaceId, activity } = command;
    const now = this.clock.now();
    const result = await handleOnce(
      this.dataSource,
      { schema: PREDICTIONS_SCHEMA, group: PredictionsGroups.events, messageId: command.messageId },
      async (manager) => {
        await this.activity.record(manager, workspaceId, activity, command.messageId);
        await this.pending.schedule(
          manager,
          workspaceId,
          activity.contactId,
          new Date(now.getTime() + this.config.scoringDebounceMs),
        );
        if (!this.scheduledWorkspaces.has(workspaceId))
          await this.schedule.ensure(manager, workspaceId, firstTrainingRuns(now));
      },
    );
    this.scheduledWorkspaces.add(workspaceId);
    return result;
  }
}
