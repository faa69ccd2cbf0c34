/** Helpers for the orchestrator integration tests: publish definitions and commands, collect what it publishes. */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ContactStateSchema,
  create,
  newEnvelope,
  ProfileChangeSchema,
  StartRunSchema,
  Topics,
  TraitsChangedSchema,
  WorkflowCommandSchema,
  WorkflowDefinitionSchema,
  WorkflowDefinitionStatus,
  type EmailRequest,
  type Event,
  type JsonObject,
  type SocialRequest,
  type WorkflowCommand,
  type WorkflowRunEvent,
} from "@cascade/contracts";
import type { Subscription } from "@cascade/bus";
import { createOrchestratorService, ManualClock, TimerPoller } from "../src/index.js";
import { eventually, startTestPlatform, type TestPlatform } from "@cascade/testing";
import type { WorkflowDefinition } from "@cascade/workflow";

export const uid = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;

export interface Harness {
  platform: TestPlatform;
  clock: ManualClock;
  runEvents: WorkflowRunEvent[];
  emails: EmailRequest[];
  socials: SocialRequest[];
  contactEvents: Event[];
  publishDefinition(definition: WorkflowDefinition | Record<string, unknown>, version?: number): Promise<string>;
  startRun(
    workflowId: string,
    contactId: string,
    options?: { commandId?: string; version?: number; payload?: JsonObject },
  ): Promise<WorkflowCommand>;
  publishCommand(command: WorkflowCommand): Promise<void>;
  setContact(contactId: string, traits: JsonObject, scores?: { lead?: number; engagement?: number }): Promise<void>;
  /** Moves the clock and fires what is due (through the production poller). */
  advance(ms: number): Promise<void>;
  /** The run's finished event, once it arrives. */
  finished(runId: string, timeoutMs?: number): Promise<WorkflowRunEvent>;
  runIdOf(contactId: string, workflowId: string): Promise<string>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const clock = new ManualClock(new Date("2030-01-01T09:00:00Z"));
  const platform = await startTestPlatform({
    services: [createOrchestratorService({ clock })],
    env: { ORCHESTRATOR_TIMER_POLL_MS: "50", ORCHESTRATOR_HTTP_ALLOWLIST: "127.0.0.1", ...env },
  });
  const ws = platform.workspaceId;
  const runEvents: WorkflowRunEvent[] = [];
  const emails: EmailRequest[] = [];
  const socials: SocialRequest[] = [];
  const contactEvents: Event[] = [];
  const subscriptions: Subscription[] = [];
  const reader = uid("reader");
  subscriptions.push(
    await platform.bus.subscribe({
      group: `${reader}-runs`,
      topic: Topics.WorkflowRunsV1,
      fromBeginning: true,
      handler: async (m) => void runEvents.push(m.value),
    }),
    await platform.bus.subscribe({
      group: `${reader}-email`,
      topic: Topics.ChannelEmailRequestsV1,
      fromBeginning: true,
      handler: async (m) => void emails.push(m.value),
    }),
    await platform.bus.subscribe({
      group: `${reader}-social`,
      topic: Topics.ChannelSocialRequestsV1,
      fromBeginning: true,
      handler: async (m) => void socials.push(m.value),
    }),
    await platform.bus.subscribe({
      group: `${reader}-events`,
      topic: Topics.EventsV1,
      fromBeginning: true,
      handler: async (m) => void (m.value.context?.source === "orchestrator" && contactEvents.push(m.value)),
    }),
  );
  const poller = platform.app.get(TimerPoller, { strict: false });
  const dataSource = platform.database.dataSource;

  const harness: Harness = {
    platform,
    clock,
    runEvents,
    emails,
    socials,
    contactEvents,
    async publishDefinition(definition, version = 1) {
      const id = String(definition.id);
      const message = create(WorkflowDefinitionSchema, {
        envelope: newEnvelope(ws),
        workflowId: id,
        version,
        name: String(definition.name ?? id),
        status: WorkflowDefinitionStatus.PUBLISHED,
        definitionJson: JSON.stringify(definition),
      });
      await platform.bus.publish(Topics.WorkflowDefinitionsV1, [{ value: message }]);
      return message.envelope!.id;
    },
    async startRun(workflowId, contactId, options = {}) {
      const envelope = newEnvelope(ws);
      if (options.commandId) envelope.id = options.commandId;
      const command = create(WorkflowCommandSchema, {
        envelope,
        command: {
          case: "startRun",
          value: create(StartRunSchema, {
            workflowId,
            contactId,
            version: options.version,
            triggerId: "trigger",
            triggerPayload: options.payload ?? {},
          }),
        },
      });
      await platform.bus.publish(Topics.WorkflowCommandsV1, [{ value: command }]);
      return command;
    },
    async publishCommand(command) {
      await platform.bus.publish(Topics.WorkflowCommandsV1, [{ value: command }]);
    },
    async setContact(contactId, traits, scores = {}) {
      const change = create(ProfileChangeSchema, {
        envelope: newEnvelope(ws),
        contactId,
        state: create(ContactStateSchema, {
          userId: contactId,
          traits,
          leadScore: scores.lead ?? 0,
          engagementScore: scores.engagement ?? 0,
        }),
        change: { case: "traitsChanged", value: create(TraitsChangedSchema, { changedKeys: Object.keys(traits) }) },
      });
      await platform.bus.publish(Topics.ProfilesChangesV1, [{ value: change }]);
      await eventually(async () => {
        const rows = await harness.query(
          `SELECT 1 FROM orchestrator.contacts WHERE workspace_id = $1 AND contact_id = $2`,
          [ws, contactId],
        );
        return rows.length > 0 ? true : undefined;
      });
    },
    async advance(ms) {
      clock.advance(ms);
      await poller.pollNow();
    },
    async finished(runId, timeoutMs = 20_000) {
      return eventually(async () => runEvents.find((e) => e.runId === runId && e.kind === 6), timeoutMs);
    },
    async runIdOf(contactId, workflowId) {
      return eventually(async () => {
        const rows = await harness.query<{ run_id: string }>(
          `SELECT run_id FROM orchestrator.runs WHERE workspace_id = $1 AND contact_id = $2 AND workflow_id = $3 ORDER BY started_at DESC LIMIT 1`,
          [ws, contactId, workflowId],
        );
        return rows[0]?.run_id;
      });
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await dataSource.query(sql, params)) as T[];
    },
    async close() {
      for (const subscription of subscriptions) await subscription.close();
      await platform.close();
    },
  };
  return harness;
}

/** A local HTTP server that records every request (method, path, headers, JSON body) and answers `respond`. */
export interface RecordingServer {
  url: string;
  requests: { method: string; path: string; headers: IncomingMessage["headers"]; body: unknown }[];
  respond: (path: string) => { status: number; body?: unknown };
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const recording: RecordingServer = {
    url: "",
    requests: [],
    respond: () => ({ status: 200, body: { ok: true } }),
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = text ? (JSON.parse(text) as unknown) : null;
      } catch {
        /* keep the text */
      }
      recording.requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      const answer = recording.respond(req.url ?? "");
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  recording.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  recording.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return recording;
}
