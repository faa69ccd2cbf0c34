/**
 * The orchestrator as real processes (node dist/services/orchestrator/src/main.js): SIGKILL mid-run and restart
 * (the run completes, no external effect twice), and two replicas sharing due timers without double firing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KafkaBus, type Subscription } from "@cascade/bus";
import {
  create,
  newEnvelope,
  RunEventKind,
  RunStatus,
  StartRunSchema,
  Topics,
  WorkflowCommandSchema,
  WorkflowDefinitionSchema,
  WorkflowDefinitionStatus,
  type EmailRequest,
  type WorkflowRunEvent,
} from "@cascade/contracts";
import { NamespacedBus } from "@cascade/runtime";
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from "@cascade/testing";
import type { WorkflowDefinition } from "@cascade/workflow";
import pg from "pg";
import { startRecordingServer, uid, type RecordingServer } from "./orchestrator-test-kit.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Orchestrator {
  url: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const workspace = uniqueName("ws").replace(/_/g, "-");
const suffix = uniqueName("t");
const adminKey = `ak_${workspace}`;
/** Every child spawned, so afterAll kills them even when a test timed out while one was starting. */
const spawned = new Set<ChildProcess>();

async function startOrchestrator(): Promise<Orchestrator> {
  const child = spawn(process.execPath, ["dist/services/orchestrator/src/main.js"], {
    cwd: root,
    env: {
      ...process.env,
      KAFKA_BROKERS: testKafkaBrokers().join(","),
      DATABASE_URL: testDatabaseUrl(),
      CASCADE_TOPIC_SUFFIX: suffix,
      CASCADE_WORKSPACE: workspace,
      CASCADE_WRITE_KEY: `wk_${workspace}`,
      CASCADE_ADMIN_KEY: adminKey,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      ORCHESTRATOR_CLOCK: "adjustable",
      ORCHESTRATOR_HTTP_ALLOWLIST: "127.0.0.1",
      ORCHESTRATOR_TIMER_POLL_MS: "100",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  spawned.add(child);
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`orchestrator did not start within 90 s:\n${output.slice(-2000)}`)),
      90_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)".*cascade is up/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`orchestrator exited with ${code}:\n${output.slice(-2000)}`)));
  });
  return {
    url,
    process: child,
    stop: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}

async function advanceClock(orchestrator: Orchestrator, ms: number): Promise<void> {
  const response = await fetch(`${orchestrator.url}/orchestrator/admin/clock/advance`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({ ms }),
  });
  if (!response.ok) throw new Error(`advance failed: ${response.status} ${await response.text()}`);
}

describe("orchestrator processes: crash recovery and replicas", () => {
  let bus: NamespacedBus;
  let db: pg.Pool;
  let http: RecordingServer;
  const emails: EmailRequest[] = [];
  const runEvents: WorkflowRunEvent[] = [];
  const subscriptions: Subscription[] = [];
  const running: Orchestrator[] = [];

  const publishDefinition = async (definition: WorkflowDefinition): Promise<void> => {
    await bus.publish(Topics.WorkflowDefinitionsV1, [
      {
        value: create(WorkflowDefinitionSchema, {
          envelope: newEnvelope(workspace),
          workflowId: definition.id,
          version: 1,
          name: definition.name,
          status: WorkflowDefinitionStatus.PUBLISHED,
          definitionJson: JSON.stringify(definition),
        }),
      },
    ]);
  };
  const startRun = async (workflowId: string, contactId: string): Promise<void> => {
    await bus.publish(Topics.WorkflowCommandsV1, [
      {
        value: create(WorkflowCommandSchema, {
          envelope: newEnvelope(workspace),
          command: { case: "startRun", value: create(StartRunSchema, { workflowId, contactId, triggerId: "trigger" }) },
        }),
      },
    ]);
  };
  const runsOf = async (workflowId: string) =>
    (
      await db.query<{ run_id: string; status: string }>(
        `SELECT run_id, status FROM orchestrator.runs WHERE workspace_id = $1 AND workflow_id = $2`,
        [workspace, workflowId],
      )
    ).rows;

  beforeAll(async () => {
    const built = spawnSync(
      process.execPath,
      ["-e", "import('./scripts/ensure-built.mjs').then((m) => m.ensureBuilt())"],
      { cwd: root, stdio: "inherit" },
    );
    if (built.status !== 0) throw new Error("build failed");
    http = await startRecordingServer();
    db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    bus = new NamespacedBus(
      new KafkaBus({ brokers: testKafkaBrokers(), clientId: "orchestrator-durability-test", partitions: 3 }),
      suffix,
    );
    await bus.ensureTopics(
      [Topics.WorkflowDefinitionsV1, Topics.WorkflowCommandsV1, Topics.ChannelEmailRequestsV1, Topics.WorkflowRunsV1],
      { partitions: 3 },
    );
    const reader = uid("durability-reader");
    subscriptions.push(
      await bus.subscribe({
        group: `${reader}-email`,
        topic: Topics.ChannelEmailRequestsV1,
        handler: async (m) => void emails.push(m.value),
      }),
      await bus.subscribe({
        group: `${reader}-runs`,
        topic: Topics.WorkflowRunsV1,
        handler: async (m) => void runEvents.push(m.value),
      }),
    );
  }, 240_000);

  afterAll(async () => {
    for (const orchestrator of running) await orchestrator.stop("SIGKILL");
    for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    for (const subscription of subscriptions) await subscription.close();
    await bus?.close();
    await db?.end();
    await http?.close();
  });

  it("SIGKILL during a 14-day delay: a new process finishes the run and nothing is sent or called twice", async () => {
    const definition: WorkflowDefinition = {
      id: "crash_test",
      name: "Crash test",
      settings: { reentry: { policy: "always" } },
      nodes: [
        { id: "trigger", kind: "manual", config: {} },
        { id: "hello", kind: "email_send", config: { subject: "Hello", body: "<p>hi</p>" } },
        {
          id: "call",
          kind: "api_call",
          config: { method: "POST", url: `${http.url}/hook`, body: '{"contact":"{{contact.id}}"}', timeoutMs: 5000 },
        },
        { id: "wait", kind: "delay", config: { mode: "duration", duration: "14d" } },
        { id: "bye", kind: "email_send", config: { subject: "Bye", body: "<p>bye</p>" } },
        { id: "end", kind: "exit", config: { reason: "done" } },
      ],
      edges: [
        { id: "a", source: "trigger", target: "hello" },
        { id: "b", source: "hello", target: "call" },
        { id: "c", source: "call", target: "wait", sourceHandle: "success" },
        { id: "d", source: "call", target: "end", sourceHandle: "error" },
        { id: "e", source: "wait", target: "bye" },
        { id: "f", source: "bye", target: "end" },
      ],
    };
    const first = await startOrchestrator();
    running.push(first);
    await publishDefinition(definition);
    await eventually(
      async () =>
        (
          await db.query(
            `SELECT 1 FROM orchestrator.workflow_heads WHERE workspace_id = $1 AND workflow_id = 'crash_test'`,
            [workspace],
          )
        ).rowCount
          ? true
          : undefined,
      30_000,
    );
    const contacts = [uid("c"), uid("c"), uid("c")];
    for (const contact of contacts) await startRun("crash_test", contact);
    // Kill once every run sits on its 14-day delay (waiting on the api_call task would also read "waiting").
    const delayTimers = async () =>
      (
        await db.query(
          `SELECT 1 FROM orchestrator.timers t JOIN orchestrator.runs r USING (run_id) WHERE r.workspace_id = $1 AND r.workflow_id = 'crash_test' AND t.kind = 'delay'`,
          [workspace],
        )
      ).rowCount;
    await eventually(async () => ((await delayTimers()) === 3 ? true : undefined), 45_000);
    await first.stop("SIGKILL");

    const second = await startOrchestrator();
    running.push(second);
    await advanceClock(second, 14 * DAY);
    await eventually(
      async () => ((await runsOf("crash_test")).every((run) => run.status === "exited") ? true : undefined),
      45_000,
    );
    const runIds = (await runsOf("crash_test")).map((run) => run.run_id);
    await eventually(
      async () => (emails.filter((e) => runIds.includes(e.runId)).length >= 6 ? true : undefined),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const keys = emails.filter((e) => runIds.includes(e.runId)).map((e) => e.idempotencyKey);
    expect(new Set(keys).size).toBe(6);
    expect(keys).toHaveLength(6); // delivered once each (a redelivery would repeat a key)
    const calls = http.requests.filter((r) => r.path === "/hook").map((r) => String(r.headers["idempotency-key"]));
    expect(calls.sort()).toEqual(runIds.map((id) => `${id}:call`).sort());
    for (const runId of runIds) {
      const finished = runEvents.find((e) => e.runId === runId && e.kind === RunEventKind.RUN_FINISHED);
      expect(finished?.status).toBe(RunStatus.EXITED);
      expect(finished?.runDurationMs).toBeGreaterThanOrEqual(14 * DAY);
    }
  }, 300_000);

  it("two replicas share due timers: every timer fires exactly once", async () => {
    const definition: WorkflowDefinition = {
      id: "replica_test",
      name: "Replica test",
      settings: { reentry: { policy: "always" } },
      nodes: [
        { id: "trigger", kind: "manual", config: {} },
        { id: "wait", kind: "delay", config: { mode: "duration", duration: "1h" } },
        { id: "after", kind: "email_send", config: { subject: "After", body: "<p>later</p>" } },
      ],
      edges: [
        { id: "a", source: "trigger", target: "wait" },
        { id: "b", source: "wait", target: "after" },
      ],
    };
    // Two fresh replicas, so both clocks (system time + offset) agree.
    for (const orchestrator of running) await orchestrator.stop("SIGKILL");
    const replicas = [await startOrchestrator(), await startOrchestrator()];
    running.push(...replicas);
    await publishDefinition(definition);
    await eventually(
      async () =>
        (
          await db.query(
            `SELECT 1 FROM orchestrator.workflow_heads WHERE workspace_id = $1 AND workflow_id = 'replica_test'`,
            [workspace],
          )
        ).rowCount
          ? true
          : undefined,
      30_000,
    );
    const contacts = Array.from({ length: 40 }, () => uid("r"));
    for (const contact of contacts) await startRun("replica_test", contact);
    await eventually(
      async () =>
        (await runsOf("replica_test")).filter((run) => run.status === "waiting").length === 40 ? true : undefined,
      60_000,
    );
    await Promise.all(replicas.map((replica) => advanceClock(replica, 2 * HOUR)));
    await eventually(
      async () => ((await runsOf("replica_test")).every((run) => run.status === "completed") ? true : undefined),
      60_000,
    );

    const runIds = (await runsOf("replica_test")).map((run) => run.run_id);
    const steps = await db.query<{ run_id: string; n: string }>(
      `SELECT run_id, count(*) AS n FROM orchestrator.step_executions WHERE run_id = ANY($1::uuid[]) AND node_id = 'after' GROUP BY run_id`,
      [runIds],
    );
    expect(steps.rows).toHaveLength(40);
    expect(steps.rows.every((row) => Number(row.n) === 1)).toBe(true);
    await eventually(
      async () => (emails.filter((e) => runIds.includes(e.runId)).length >= 40 ? true : undefined),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(emails.filter((e) => runIds.includes(e.runId))).toHaveLength(40);
  }, 300_000);
});
