import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { CreateOrchestratorTables1764500000000 } from "./migrations/1764500000000-CreateOrchestratorTables.js";
import { OrchestratorModule, type OrchestratorModuleOptions } from "./orchestrator.module.js";

const TOPICS = [
  Topics.WorkflowCommandsV1,
  Topics.WorkflowDefinitionsV1,
  Topics.WorkflowRunsV1,
  Topics.EventsV1,
  Topics.OutcomesV1,
  Topics.ProfilesChangesV1,
  Topics.ChannelEmailRequestsV1,
  Topics.ChannelSmsRequestsV1,
  Topics.ChannelPushRequestsV1,
  Topics.ChannelSocialRequestsV1,
];

/** The orchestrator with options, e.g. `createOrchestratorService({ clock: new ManualClock() })` in tests. */
export function createOrchestratorService(options: OrchestratorModuleOptions = {}): ServiceDefinition {
  return {
    name: "orchestrator",
    module: OrchestratorModule.forRoot(options),
    migrations: [CreateOrchestratorTables1764500000000],
    topics: TOPICS,
    outbox: true,
  };
}

/**
 * orchestrator: durable per-contact workflow runs. Consumes workflow.definitions.v1, workflow.commands.v1,
 * events.v1, outcomes.v1 and profiles.changes.v1; publishes channel.*.requests.v1, workflow.runs.v1 and contact
 * updates on events.v1 through its transactional outbox.
 */
export const orchestratorService: ServiceDefinition = createOrchestratorService();

export { AdjustableClock, CLOCK, ManualClock, systemClock, type Clock } from "./clock/clock.js";
export { TimerPoller } from "./timers/timer-poller.js";
export { TaskWorker } from "./timers/task-worker.js";
export { advance } from "./engine/engine.js";
