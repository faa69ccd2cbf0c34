import { Module } from "@nestjs/common";
import { ENVIRONMENT } from "@cascade/runtime";
import type { Environment } from "@cascade/config";
import { loadTriggersConfig, TriggersConfig } from "./config/triggers.config.js";
import { ContactsConsumer } from "./contacts/contacts.consumer.js";
import { ApplyProfileChangeUseCase } from "./contacts/use-cases/apply-profile-change.use-case.js";
import { DefinitionsConsumer } from "./definitions/definitions.consumer.js";
import { TriggerRegistry } from "./definitions/trigger-registry.js";
import { ApplyDefinitionUseCase } from "./definitions/use-cases/apply-definition.use-case.js";
import { RunStarter } from "./entry/run-starter.js";
import { EventsConsumer } from "./events/events.consumer.js";
import { EvaluateEventUseCase } from "./events/use-cases/evaluate-event.use-case.js";
import { AdminKeyGuard } from "./manual/admin-key.guard.js";
import { ManualStartController } from "./manual/manual-start.controller.js";
import { StartManuallyUseCase } from "./manual/use-cases/start-manually.use-case.js";
import { PredictionsConsumer } from "./predictions/predictions.consumer.js";
import { EvaluatePredictionUseCase } from "./predictions/use-cases/evaluate-prediction.use-case.js";
import { Scheduler } from "./schedules/scheduler.js";
import { TriggersMetrics } from "./shared/triggers-metrics.js";

@Module({
  controllers: [DefinitionsConsumer, EventsConsumer, ContactsConsumer, PredictionsConsumer, ManualStartController],
  providers: [
    { provide: TriggersConfig, useFactory: (env: Environment) => loadTriggersConfig(env), inject: [ENVIRONMENT] },
    TriggersMetrics,
    TriggerRegistry,
    RunStarter,
    ApplyDefinitionUseCase,
    EvaluateEventUseCase,
    ApplyProfileChangeUseCase,
    EvaluatePredictionUseCase,
    StartManuallyUseCase,
    Scheduler,
    AdminKeyGuard,
  ],
})
export class TriggersModule {}
