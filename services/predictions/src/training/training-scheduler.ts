import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { DataSource } from "typeorm";
import { PredictionsConfig } from "../config/predictions.config.js";
import { Clock } from "../shared/clock.js";
import type { ModelName } from "../shared/model-names.js";
import { TrainingScheduleRepository } from "./schedule.repository.js";
import { TRAINING_INTERVAL_MS } from "./training-intervals.js";
import { TrainModelUseCase, type TrainingReport } from "./use-cases/train-model.use-case.js";

/**
 * Scheduled training: every PREDICTIONS_SCHEDULER_INTERVAL, claims due (workspace, model) runs from the
 * durable schedule (FOR UPDATE SKIP LOCKED, next run moved on in the same transaction, so replicas never
 * train the same slot twice) and trains them one at a time.
 */
@Injectable()
export class TrainingScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(TrainingScheduler.name);
  private readonly schedule = new TrainingScheduleRepository();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TrainingReport[]> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly trainModel: TrainModelUseCase,
    private readonly config: PredictionsConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.schedulerEnabled) this.timer = setInterval(() => void this.tick(), this.config.schedulerIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs every due training now; returns what each run did. */
  tick(): Promise<TrainingReport[]> {
    this.running ??= this.runDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runDue(): Promise<TrainingReport[]> {
    const reports: TrainingReport[] = [];
    for (;;) {
      const claimed = await this.dataSource.transaction((manager) =>
        this.schedule.claimDue(manager, this.clock.now(), (model: ModelName) => TRAINING_INTERVAL_MS[model]),
      );
      if (claimed === undefined) return reports;
      try {
        const report = await this.trainModel.execute({ ...claimed, reason: "schedule" });
        reports.push(report);
        await this.dataSource.transaction((manager) =>
          this.schedule.recordOutcome(
            manager,
            claimed.workspaceId,
            claimed.model,
            `${report.status}: ${report.decision}`,
          ),
        );
      } catch (error) {
        this.log.error({ msg: "scheduled training failed", ...claimed, err: error });
      }
    }
  }
}
