/**
 * Orchestrator throughput and timer lateness on the machine's PostgreSQL, each beside a baseline from the same run:
 *   1. node transitions/s of the production path (engine + run/step/timer writes + outbox, one transaction per
 *      start or timer batch) vs pgbench TPC-B tps on the same server (goal ratio ≥ 1.0);
 *   2. lateness of timer firing with 100 000 pending far-future delays (goal p99 ≤ 1 s).
 *   npm run bench -- orchestrator-transitions [--runs 2000] [--seconds 10] [--timers 1000]
 * Creates and drops scratch databases; needs pgbench on PATH (it ships with PostgreSQL).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createDataSource, createLedgerMigration, createOutboxMigration, runMigrations } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import {
  AdjustableClock,
  createOrchestratorService,
  ManualClock,
  TaskWorker,
  TimerPoller,
  type Clock,
} from "@cascade/services/orchestrator";
import { validateDefinition, type WorkflowDefinition } from "@cascade/workflow";
import pg from "pg";
import type { DataSource } from "typeorm";
import {
  orchestratorConfigSchema,
  OrchestratorConfig,
} from "../services/orchestrator/src/config/orchestrator-config.js";
import { DefinitionsRepository } from "../services/orchestrator/src/definitions/definitions.repository.js";
import { RunExecutor } from "../services/orchestrator/src/runs/run-executor.js";
import { StartRunUseCase } from "../services/orchestrator/src/runs/use-cases/start-run.use-case.js";
import { flag, report, timed } from "./_harness.js";

const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const runsToStart = flag("runs", 2000);
const pgbenchSeconds = flag("seconds", 10);
const lateTimers = flag("timers", 1000);
const suffix = randomBytes(4).toString("hex");

const FLOW: WorkflowDefinition = {
  id: "bench_flow",
  name: "Bench flow",
  settings: { reentry: { policy: "always" }, allowConcurrentRuns: true },
  nodes: [
    { id: "trigger", kind: "manual", config: {} },
    { id: "score", kind: "scoring_update", config: { score: "lead_score", operation: "add", value: 5 } },
    { id: "hot", kind: "if_condition", config: { expression: "score >= 5" } },
    { id: "mail", kind: "email_send", config: { subject: "Hi", body: "<p>hi {{contact.traits.first_name}}</p>" } },
    { id: "wait", kind: "delay", config: { mode: "duration", duration: "1h" } },
    { id: "again", kind: "email_send", config: { subject: "Again", body: "<p>again</p>" } },
    { id: "end", kind: "exit", config: { reason: "done" } },
  ],
  edges: [
    { id: "a", source: "trigger", target: "score" },
    { id: "b", source: "score", target: "hot" },
    { id: "c", source: "hot", target: "mail", sourceHandle: "true" },
    { id: "d", source: "hot", target: "end", sourceHandle: "false" },
    { id: "e", source: "mail", target: "wait" },
    { id: "f", source: "wait", target: "again" },
    { id: "g", source: "again", target: "end" },
  ],
};

function databaseUrl(name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function pgbenchTps(database: string): number {
  const url = new URL(databaseUrl(database));
  const args = ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres")];
  execFileSync("pgbench", [...args, "-i", "-s", "1", "-q", database], { stdio: "ignore" });
  const output = execFileSync("pgbench", [...args, "-c", "4", "-j", "2", "-T", String(pgbenchSeconds), database], {
    encoding: "utf8",
  });
  const match = /tps = ([\d.]+)/.exec(output);
  if (!match) throw new Error(`pgbench printed no tps:\n${output}`);
  return Number(match[1]);
}

interface Engine {
  dataSource: DataSource;
  poller: TimerPoller;
  start: StartRunUseCase;
  close(): Promise<void>;
}

async function startEngine(database: string, clock: Clock): Promise<Engine> {
  const handle = await createDataSource({
    databaseUrl: databaseUrl(database),
    dataDir: "",
    applicationName: "bench-orchestrator",
  });
  const dataSource = handle.dataSource;
  const service = createOrchestratorService();
  await runMigrations(dataSource, {
    schema: "orchestrator",
    migrations: [createLedgerMigration("orchestrator"), createOutboxMigration("orchestrator"), ...service.migrations],
  });
  const config = new OrchestratorConfig(orchestratorConfigSchema.parse({ ORCHESTRATOR_TIMER_POLL_MS: "50" }));
  const executor = new RunExecutor(new DefinitionsRepository(), clock, config);
  const relays = new OutboxRelays();
  const tasks = new TaskWorker(dataSource, executor, relays, config);
  const poller = new TimerPoller(dataSource, executor, relays, tasks, config);
  const start = new StartRunUseCase(dataSource, executor, relays, tasks, clock);
  const validated = validateDefinition(JSON.parse(JSON.stringify(FLOW)));
  if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
  await dataSource.query(
    `INSERT INTO orchestrator.definitions (workspace_id, workflow_id, version, name, status, definition) VALUES ('bench', 'bench_flow', 1, 'Bench', 'published', $1::jsonb)`,
    [JSON.stringify(FLOW)],
  );
  await dataSource.query(`INSERT INTO orchestrator.workflow_heads VALUES ('bench', 'bench_flow', 1, 'published')`);
  await dataSource.query(
    `INSERT INTO orchestrator.contacts VALUES ('bench', 'c', '{"id":"c","traits":{"first_name":"Ada"},"tags":[],"consent":{}}'::jsonb)`,
  );
  return {
    dataSource,
    poller,
    start,
    close: async () => {
      await poller.onModuleDestroy();
      await tasks.onModuleDestroy();
      await handle.close();
    },
  };
}

async function startRuns(engine: Engine, count: number, concurrency = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        await engine.start.execute({
          commandId: `bench-${suffix}-${i}`,
          workspaceId: "bench",
          workflowId: "bench_flow",
          contactId: `c${i}`,
          triggerId: "trigger",
          triggerPayload: {},
        });
      }
    }),
  );
}

async function transitionsPerSecond(database: string): Promise<number> {
  const clock = new ManualClock(new Date("2030-01-01T00:00:00Z"));
  const engine = await startEngine(database, clock);
  try {
    await startRuns(engine, 50); // warm-up (compiled definition cache, connections)
    await engine.dataSource.query(`TRUNCATE orchestrator.step_executions`);
    const { seconds } = await timed(async () => {
      await startRuns(engine, runsToStart);
      clock.advance(2 * 3_600_000);
      await engine.poller.pollNow();
    });
    const [{ n }] = (await engine.dataSource.query(`SELECT count(*)::int AS n FROM orchestrator.step_executions`)) as [
      { n: number },
    ];
    return n / seconds;
  } finally {
    await engine.close();
  }
}

async function timerLateness(database: string): Promise<{ p50: number; p99: number }> {
  const clock = new AdjustableClock();
  const engine = await startEngine(database, clock);
  try {
    // 100 000 pending delays far in the future (the poller must not slow down because of them).
    await engine.dataSource.query(
      `INSERT INTO orchestrator.timers (run_id, token_id, node_id, kind, due_at)
       SELECT gen_random_uuid(), 't1', 'wait', 'delay', now() + interval '30 days' + (i || ' seconds')::interval FROM generate_series(1, 100000) AS i`,
    );
    await engine.dataSource.query(`ANALYZE orchestrator.timers`);
    // Runs whose 1 h delays come due over the time it took to start them; the clock then moves to 2 s before
    // the first one is due, and the poller runs on its own (every 50 ms) as in production.
    await startRuns(engine, lateTimers);
    const [{ first }] = (await engine.dataSource.query(
      `SELECT min(due_at) AS first FROM orchestrator.timers WHERE node_id = 'wait' AND token_id = 't1' AND due_at < now() + interval '2 days'`,
    )) as [{ first: Date }];
    clock.advance(Math.max(0, new Date(first).getTime() - clock.now().getTime() - 2_000));
    engine.poller.onApplicationBootstrap();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [{ n }] = (await engine.dataSource.query(
        `SELECT count(*)::int AS n FROM orchestrator.step_executions WHERE node_id = 'wait'`,
      )) as [{ n: number }];
      if (n >= lateTimers + 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const rows = (await engine.dataSource.query(
      `SELECT extract(epoch FROM (finished_at - (started_at + interval '1 hour'))) * 1000 AS late FROM orchestrator.step_executions WHERE node_id = 'wait' ORDER BY late`,
    )) as { late: string }[];
    const late = rows.map((row) => Math.max(0, Number(row.late)));
    const at = (q: number) => late[Math.min(late.length - 1, Math.floor(q * late.length))] ?? Number.NaN;
    return { p50: at(0.5), p99: at(0.99) };
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  const names = { pgbench: `bench_pgbench_${suffix}`, flow: `bench_orch_${suffix}`, timers: `bench_timers_${suffix}` };
  await withAdmin(async (client) => {
    for (const name of Object.values(names)) await client.query(`CREATE DATABASE ${name}`);
  });
  try {
    const tps = pgbenchTps(names.pgbench);
    const transitions = await transitionsPerSecond(names.flow);
    const lateness = await timerLateness(names.timers);
    report("orchestrator", [
      {
        what: `node transitions (${runsToStart} runs × 7 nodes, start + timer) vs pgbench TPC-B (4 clients)`,
        subject: { name: "orchestrator", value: transitions, unit: "transitions/s" },
        baseline: { name: "pgbench", value: tps, unit: "tps" },
        goal: 1.0,
      },
      {
        what: `timer lateness p99 with 100 000 pending delays (${lateTimers} coming due while polling; p50 ${lateness.p50.toFixed(0)} ms)`,
        subject: { name: "p99", value: lateness.p99, unit: "ms" },
        baseline: { name: "goal", value: 1000, unit: "ms" },
        lowerIsBetter: true,
        goal: 1.0,
      },
    ]);
  } finally {
    await withAdmin(async (client) => {
      for (const name of Object.values(names)) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  }
}

await main();
process.exit(0);
