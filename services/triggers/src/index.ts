import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { CreateTriggerTables1765000000000 } from "./migrations/1765000000000-CreateTriggerTables.js";
import { TriggersModule } from "./triggers.module.js";

/**
 * triggers: evaluates every trigger kind (event, behavioural with counting windows, webhook, predictive,
 * time-based schedules, manual starts) against events.v1, profiles.changes.v1, predictions.v1 and the clock,
 * for the workflows published on workflow.definitions.v1, and sends StartRun / CancelRun on
 * workflow.commands.v1 through its transactional outbox.
 */
export const triggersService: ServiceDefinition = {
  name: "triggers",
  module: TriggersModule,
  migrations: [CreateTriggerTables1765000000000],
  topics: [
    Topics.EventsV1,
    Topics.ProfilesChangesV1,
    Topics.PredictionsV1,
    Topics.WorkflowDefinitionsV1,
    Topics.WorkflowCommandsV1,
  ],
  outbox: true,
};

export { Scheduler } from "./schedules/scheduler.js";
export { TriggerRegistry } from "./definitions/trigger-registry.js";

// The in-memory matcher, for the bench (bench/triggers-matching.ts) and tests.
export { TriggerIndex } from "./matching/trigger-index.js";
export { EventMatcher } from "./matching/event-matcher.js";
export { compileWorkflow, compileTrustedNodes } from "./matching/compile-workflow.js";
export type { CompiledWorkflow, CompiledTrigger } from "./matching/compiled-trigger.js";
export { unknownContact } from "./matching/evaluation-context.js";
export { readInboundEvent, type InboundEvent } from "./matching/inbound-event.js";
export { compiledWorkflowMix, mixedEvent } from "./matching/workflow-mix.js";
