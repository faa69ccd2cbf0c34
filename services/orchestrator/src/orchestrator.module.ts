import { Module, type DynamicModule } from "@nestjs/common";
import { loadConfig, type Environment } from "@cascade/config";
import { ENVIRONMENT } from "@cascade/runtime";
import { AdminKeyGuard } from "./admin/admin-key.guard.js";
import { AdminController } from "./admin/admin.controller.js";
import { AdjustableClock, CLOCK, systemClock, type Clock } from "./clock/clock.js";
import { OrchestratorConfig, orchestratorConfigSchema } from "./config/orchestrator-config.js";
import { ApplyProfileChangeUseCase } from "./contacts/use-cases/apply-profile-change.use-case.js";
import { DefinitionsConsumer } from "./definitions/definitions.consumer.js";
import { DefinitionsRepository } from "./definitions/definitions.repository.js";
import { StoreDefinitionUseCase } from "./definitions/use-cases/store-definition.use-case.js";
import { CommandsConsumer } from "./runs/commands.consumer.js";
import { RunExecutor } from "./runs/run-executor.js";
import { CancelRunUseCase } from "./runs/use-cases/cancel-run.use-case.js";
import { ManualStartUseCase } from "./runs/use-cases/manual-start.use-case.js";
import { ResumeRunUseCase } from "./runs/use-cases/resume-run.use-case.js";
import { StartRunUseCase } from "./runs/use-cases/start-run.use-case.js";
import { TaskWorker } from "./timers/task-worker.js";
import { TimerPoller } from "./timers/timer-poller.js";
import { ContactSignalsConsumer } from "./waits/contact-signals.consumer.js";
import { HandleContactEventUseCase } from "./waits/use-cases/handle-contact-event.use-case.js";
import { RecordOutcomeUseCase } from "./waits/use-cases/record-outcome.use-case.js";

export interface OrchestratorModuleOptions {
  /** Tests pass a ManualClock; otherwise ORCHESTRATOR_CLOCK decides (system, or adjustable over HTTP). */
  readonly clock?: Clock;
}

@Module({})
export class OrchestratorModule {
  static forRoot(options: OrchestratorModuleOptions = {}): DynamicModule {
    return {
      module: OrchestratorModule,
      controllers: [CommandsConsumer, DefinitionsConsumer, ContactSignalsConsumer, AdminController],
      providers: [
        {
          provide: OrchestratorConfig,
          useFactory: (env: Environment) => new OrchestratorConfig(loadConfig(orchestratorConfigSchema, env)),
          inject: [ENVIRONMENT],
        },
        {
          provide: CLOCK,
          useFactory: (config: OrchestratorConfig): Clock =>
            options.clock ?? (config.values.ORCHESTRATOR_CLOCK === "adjustable" ? new AdjustableClock() : systemClock),
          inject: [OrchestratorConfig],
        },
        DefinitionsRepository,
        RunExecutor,
        TaskWorker,
        TimerPoller,
        StoreDefinitionUseCase,
        StartRunUseCase,
        CancelRunUseCase,
        ResumeRunUseCase,
        ManualStartUseCase,
        HandleContactEventUseCase,
        RecordOutcomeUseCase,
        ApplyProfileChangeUseCase,
        AdminKeyGuard,
      ],
      exports: [CLOCK, TimerPoller, TaskWorker],
    };
  }
}
