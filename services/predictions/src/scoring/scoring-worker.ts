import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { PredictionsConfig } from "../config/predictions.config.js";
import { ScoreDueContactsUseCase } from "./use-cases/score-due-contacts.use-case.js";

/** Polls the scoring queue every PREDICTIONS_SCORING_INTERVAL and scores due contacts until none is left. */
@Injectable()
export class ScoringWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ScoringWorker.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly scoreDue: ScoreDueContactsUseCase,
    private readonly config: PredictionsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.scoringIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round (skipped while the previous one runs). */
  tick(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.timer !== undefined && (await this.scoreDue.execute()) >= this.config.scoringBatch) {
        // a full batch: there may be more due right now
      }
    } catch (error) {
      this.log.error({ msg: "scoring round failed", err: error });
    }
  }
}
