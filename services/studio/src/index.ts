import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { CreateStudioTables1765200000000 } from "./migrations/1765200000000-CreateStudioTables.js";
import { StudioModule } from "./studio.module.js";

/**
 * studio: the workflow API (drafts, validation, immutable versions, diff, rollback, templates, manual starts,
 * runs and live per-node statistics from workflow.runs.v1 over SSE) and the visual builder UI served at `/`.
 * Publishes workflow.definitions.v1 through its transactional outbox and ManualStart on workflow.commands.v1.
 */
export const studioService: ServiceDefinition = {
  name: "studio",
  module: StudioModule,
  migrations: [CreateStudioTables1765200000000],
  topics: [Topics.WorkflowDefinitionsV1, Topics.WorkflowCommandsV1, Topics.WorkflowRunsV1],
  outbox: true,
};

export { diffDefinitions, type DefinitionDiff } from "./workflows/definition-diff.js";
