import { Module } from "@nestjs/common";
import { loadConfig, type Environment } from "@cascade/config";
import { ENVIRONMENT } from "@cascade/runtime";
import { KeysController } from "./auth/keys.controller.js";
import { SessionController } from "./auth/session.controller.js";
import { StudioAuthGuard } from "./auth/studio-auth.guard.js";
import { STUDIO_CONFIG, studioConfigSchema } from "./config/studio.config.js";
import { DocsController } from "./docs/docs.controller.js";
import { RunEventsConsumer } from "./runs/run-events.consumer.js";
import { RunStatsQueries } from "./runs/run-stats.queries.js";
import { RunsController } from "./runs/runs.controller.js";
import { StatsNotifier } from "./runs/stats-notifier.js";
import { RecordRunEventUseCase } from "./runs/use-cases/record-run-event.use-case.js";
import { CatalogController } from "./templates/catalog.controller.js";
import { UiHostSetup } from "./ui-host/ui-host.setup.js";
import { ArchiveWorkflowUseCase } from "./workflows/use-cases/archive-workflow.use-case.js";
import { CreateWorkflowUseCase } from "./workflows/use-cases/create-workflow.use-case.js";
import { PublishVersionUseCase } from "./workflows/use-cases/publish-version.use-case.js";
import { SaveDraftUseCase } from "./workflows/use-cases/save-draft.use-case.js";
import { StartManualRunUseCase } from "./workflows/use-cases/start-manual-run.use-case.js";
import { WorkflowQueries } from "./workflows/workflow-queries.js";
import { WorkflowsController } from "./workflows/workflows.controller.js";

@Module({
  controllers: [
    SessionController,
    KeysController,
    DocsController,
    CatalogController,
    WorkflowsController,
    RunsController,
    RunEventsConsumer,
  ],
  providers: [
    {
      provide: STUDIO_CONFIG,
      useFactory: (env: Environment) => loadConfig(studioConfigSchema, env),
      inject: [ENVIRONMENT],
    },
    StudioAuthGuard,
    StatsNotifier,
    WorkflowQueries,
    RunStatsQueries,
    CreateWorkflowUseCase,
    SaveDraftUseCase,
    PublishVersionUseCase,
    ArchiveWorkflowUseCase,
    StartManualRunUseCase,
    RecordRunEventUseCase,
    UiHostSetup,
  ],
})
export class StudioModule {}
