import { Module } from "@nestjs/common";
import type { Environment } from "@cascade/config";
import { ENVIRONMENT } from "@cascade/runtime";
import { ModelsController } from "./api/models.controller.js";
import { loadPredictionsConfig, PredictionsConfig } from "./config/predictions.config.js";
import { FeaturesConsumer } from "./features/features.consumer.js";
import { ApplyProfileChangeUseCase } from "./features/use-cases/apply-profile-change.use-case.js";
import { RecordActivityUseCase } from "./features/use-cases/record-activity.use-case.js";
import { RollbackModelUseCase } from "./registry/use-cases/rollback-model.use-case.js";
import { ActiveModels } from "./scoring/active-models.js";
import { ScoringWorker } from "./scoring/scoring-worker.js";
import { ScoreDueContactsUseCase } from "./scoring/use-cases/score-due-contacts.use-case.js";
import { AdminKeyGuard } from "./shared/admin-key.guard.js";
import { Clock, SystemClock } from "./shared/clock.js";
import { TrainingScheduler } from "./training/training-scheduler.js";
import { TrainModelUseCase } from "./training/use-cases/train-model.use-case.js";

@Module({
  controllers: [FeaturesConsumer, ModelsController],
  providers: [
    { provide: PredictionsConfig, useFactory: (env: Environment) => loadPredictionsConfig(env), inject: [ENVIRONMENT] },
    { provide: Clock, useClass: SystemClock },
    AdminKeyGuard,
    RecordActivityUseCase,
    ApplyProfileChangeUseCase,
    ActiveModels,
    ScoreDueContactsUseCase,
    ScoringWorker,
    TrainModelUseCase,
    TrainingScheduler,
    RollbackModelUseCase,
  ],
})
export class PredictionsModule {}
