import {
  create,
  EventSchema,
  EventType,
  newEnvelope,
  PredictionModel,
  PredictionSchema,
  ProfileChangeSchema,
  ContactStateSchema,
  TraitsChangedSchema,
  Topics,
  WorkflowDefinitionSchema,
  WorkflowDefinitionStatus,
  timestampFromDate,
  type Event,
  type JsonObject,
  type WorkflowCommand,
} from "@cascade/contracts";
import type { Subscription } from "@cascade/bus";
import { eventually, startTestPlatform, uniqueName, type TestPlatform } from "@cascade/testing";
import { triggersService, TriggerRegistry } from "../src/index.js";
import { definitionJson } from "../src/matching/test-definitions.js";

/** Test settings: the scheduler is driven by the tests (runOnce), the index refreshes quickly. */
export const TEST_ENV = { TRIGGERS_SCHEDULER_ENABLED: "false", TRIGGERS_INDEX_REFRESH_INTERVAL: "300ms" };

export async function startTriggers(
  options: { workspace?: string; topicSuffix?: string; env?: Record<string, string> } = {},
): Promise<TestPlatform> {
  return startTestPlatform({
    services: [triggersService],
    env: { ...TEST_ENV, ...options.env },
    workspace: options.workspace,
    topicSuffix: options.topicSuffix,
  });
}

/** Publishes a workflow version on workflow.definitions.v1 and waits until this platform's index has it. */
export async function publishWorkflow(
  platform: TestPlatform,
  workflowId: string,
  kind: string,
  config: Record<string, unknown>,
  options: { settings?: Record<string, unknown>; version?: number; expectIndexed?: boolean } = {},
): Promise<void> {
  const version = options.version ?? 1;
  await platform.bus.publish(Topics.WorkflowDefinitionsV1, [
    {
      value: create(WorkflowDefinitionSchema, {
        envelope: newEnvelope(platform.workspaceId),
        workflowId,
        version,
        name: workflowId,
        status: WorkflowDefinitionStatus.PUBLISHED,
        definitionJson: definitionJson(workflowId, kind, config, { settings: options.settings }),
      }),
    },
  ]);
  if (options.expectIndexed === false) return;
  const registry = platform.app.get(TriggerRegistry);
  await eventually(async () =>
    registry.index.workflow(platform.workspaceId, workflowId)?.version === version ? true : undefined,
  );
}

export interface EventInput {
  name: string;
  contactId: string;
  properties?: JsonObject;
  at?: Date;
  type?: EventType;
}

export function makeEvent(platform: TestPlatform, input: EventInput): Event {
  const at = input.at ?? new Date();
  return create(EventSchema, {
    envelope: newEnvelope(platform.workspaceId, at),
    type: input.type ?? EventType.TRACK,
    event: input.type === undefined || input.type === EventType.TRACK ? input.name : "",
    contactId: input.contactId,
    properties: input.properties ?? {},
    timestamp: timestampFromDate(at),
  });
}

export async function publishEvents(platform: TestPlatform, events: readonly Event[]): Promise<void> {
  await platform.bus.publish(
    Topics.EventsV1,
    events.map((value) => ({ value })),
  );
}

export async function publishContact(
  platform: TestPlatform,
  contactId: string,
  traits: JsonObject,
  scores: { lead?: number } = {},
): Promise<void> {
  await platform.bus.publish(Topics.ProfilesChangesV1, [
    {
      value: create(ProfileChangeSchema, {
        envelope: newEnvelope(platform.workspaceId),
        contactId,
        state: create(ContactStateSchema, {
          userId: contactId,
          traits,
          leadScore: scores.lead ?? 0,
          createdAt: timestampFromDate(new Date()),
        }),
        change: { case: "traitsChanged", value: create(TraitsChangedSchema, { changedKeys: Object.keys(traits) }) },
      }),
    },
  ]);
}

export async function publishPrediction(
  platform: TestPlatform,
  contactId: string,
  score: number,
  at = new Date(),
): Promise<void> {
  await platform.bus.publish(Topics.PredictionsV1, [
    {
      value: create(PredictionSchema, {
        envelope: newEnvelope(platform.workspaceId, at),
        contactId,
        model: PredictionModel.CHURN,
        score,
      }),
    },
  ]);
}

/** Collects what the service publishes on workflow.commands.v1 for this platform's workspace. */
export class CommandLog {
  readonly commands: WorkflowCommand[] = [];
  private subscription: Subscription | undefined;

  static async start(platform: TestPlatform): Promise<CommandLog> {
    const log = new CommandLog();
    log.subscription = await platform.bus.subscribe({
      group: uniqueName("observer"),
      topic: Topics.WorkflowCommandsV1,
      fromBeginning: true,
      handler: async (message) => {
        if (message.value.envelope?.workspace === platform.workspaceId) log.commands.push(message.value);
        return "processed";
      },
    });
    return log;
  }

  starts(workflowId?: string) {
    return this.commands.flatMap((command) =>
      command.command.case === "startRun" &&
      (workflowId === undefined || command.command.value.workflowId === workflowId)
        ? [command.command.value]
        : [],
    );
  }

  cancels(workflowId?: string) {
    return this.commands.flatMap((command) =>
      command.command.case === "cancelRun" &&
      (workflowId === undefined || command.command.value.workflowId === workflowId)
        ? [command.command.value]
        : [],
    );
  }

  /** Waits until at least `count` StartRun commands of the workflow arrived. */
  async waitForStarts(workflowId: string, count = 1, timeoutMs = 20_000) {
    return eventually(
      async () => (this.starts(workflowId).length >= count ? this.starts(workflowId) : undefined),
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    await this.subscription?.close();
  }
}

/** Deletes this workspace's rows from the service's tables (the test database is shared across runs). */
export async function cleanUpWorkspace(platform: TestPlatform): Promise<void> {
  for (const table of [
    "workflows",
    "refused_definitions",
    "contacts",
    "window_events",
    "window_state",
    "prediction_levels",
    "trigger_starts",
    "enrolments",
    "cron_schedules",
    "date_schedules",
    "firings",
  ]) {
    await platform.database.dataSource.query(`DELETE FROM triggers.${table} WHERE workspace_id = $1`, [
      platform.workspaceId,
    ]);
  }
}
