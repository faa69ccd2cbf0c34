import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import {
  PredictionModel,
  RunEventKind,
  RunStatus,
  timestampDate,
  Topics,
  type EmailRequest,
  type Prediction,
  type WorkflowRunEvent,
} from "@cascade/contracts";
import type { Subscription } from "@cascade/bus";
import { ingestService } from "@cascade/services/ingest";
import { orchestratorService } from "@cascade/services/orchestrator";
import { predictionsService } from "@cascade/services/predictions";
import { profilesService } from "@cascade/services/profiles";
import { studioService } from "@cascade/services/studio";
import { triggersService } from "@cascade/services/triggers";
import { basicAuth, eventually, postJson, startTestPlatform, uniqueName, type TestPlatform } from "@cascade/testing";
import type { WorkflowDefinition } from "@cascade/workflow";

const DAY = 86_400_000;
const CHURN_THRESHOLD = 0.7;
/** The shipped retention template, and the id of the workflow this test instantiates from it in studio. */
const TEMPLATE = "churn_retention_v1";
const RETENTION = "churn_retention";
const MARKER = "test_marker";

/** Started by hand after a prediction, it travels the same path a StartRun would (see `settle`). */
const markerWorkflow: WorkflowDefinition = {
  id: MARKER,
  name: "Test marker",
  settings: { reentry: { policy: "always" }, allowConcurrentRuns: true },
  nodes: [
    { id: "manual", kind: "manual", config: {}, position: { x: 0, y: 0 } },
    { id: "end", kind: "exit", config: { reason: "marker" }, position: { x: 0, y: 140 } },
  ],
  edges: [{ id: "manual->end", source: "manual", target: "end" }],
};

interface Track {
  userId: string;
  /** feature_used is product usage for predictions, and what the retention workflow waits for. */
  event: "feature_used" | "Support Ticket Created";
  at: number;
}

const use = (userId: string, at: number): Track => ({ userId, event: "feature_used", at });
const ticket = (userId: string, at: number): Track => ({ userId, event: "Support Ticket Created", at });

/**
 * Six weeks of tracked history in which support tickets decide churn. With a 7-day feature window, 14 days of
 * silence as the churn label and training cutoffs at now − 14, 21, 28 and 35 days:
 * - 20 steady customers use the product every other day and never open a ticket (label: stays);
 * - 40 churners use it the same way for a week, open three tickets on their last two active days, then go
 *   silent just before one of the cutoffs (label: churned).
 * Usage, recency and activity days look alike in both groups; only tickets (and the time spent on them) differ.
 */
function trainingHistory(now: number): Track[] {
  const history: Track[] = [];
  for (let i = 0; i < 20; i++)
    for (let day = -41.7 + (i % 4) * 0.5; day < -0.5; day += 2) history.push(use(`steady-${i}`, now + day * DAY));
  for (let j = 0; j < 40; j++) {
    const cutoff = now - (14 + 7 * (j % 4)) * DAY;
    const phase = (Math.floor(j / 4) % 4) * 0.5;
    const uses: number[] = [];
    for (let day = -6.7 + phase; day <= -0.2; day += 2) uses.push(cutoff + day * DAY);
    const [secondLast, last] = uses.slice(-2) as [number, number];
    history.push(...uses.map((at) => use(`churner-${j}`, at)));
    history.push(ticket(`churner-${j}`, secondLast), ticket(`churner-${j}`, last), ticket(`churner-${j}`, last));
  }
  return history;
}

describe("predictive trigger → retention workflow, end to end on the real broker and PostgreSQL", () => {
  let platform: TestPlatform;
  const subscriptions: Subscription[] = [];
  const predictions: Prediction[] = [];
  const runEvents: WorkflowRunEvent[] = [];
  const emails: EmailRequest[] = [];
  const started = Date.now();
  let modelVersion = "";

  const admin = () => ({ authorization: `Bearer ${platform.workspace.adminKey}` });
  const scoredAt = (prediction: Prediction) => timestampDate(prediction.envelope!.occurredAt!).getTime();
  const churnPredictions = (contactId: string) =>
    predictions.filter((p) => p.contactId === contactId && p.model === PredictionModel.CHURN);
  const runsOf = (workflowId: string, contactId: string, kind = RunEventKind.RUN_STARTED) =>
    runEvents.filter((e) => e.workflowId === workflowId && e.contactId === contactId && e.kind === kind);

  /** Sends tracked events through the tracking API (`/v1/batch`), with their own timestamps. */
  const track = async (events: readonly Track[]) => {
    for (let start = 0; start < events.length; start += 200) {
      const batch = events.slice(start, start + 200).map((event) => ({
        type: "track",
        userId: event.userId,
        event: event.event,
        timestamp: new Date(event.at).toISOString(),
        properties: event.event === "Support Ticket Created" ? { duration_seconds: 600 } : {},
      }));
      const response = await postJson(
        `${platform.url}/v1/batch`,
        { batch },
        { authorization: basicAuth(platform.workspace.writeKey) },
      );
      expect(response.status).toBe(200);
    }
  };

  /** Identifies the contact with an email address and waits until the orchestrator's contact view has it. */
  const identify = async (userId: string, email: string, traits: Record<string, string> = {}) => {
    const response = await postJson(
      `${platform.url}/v1/identify`,
      { userId, traits: { ...traits, email } },
      { authorization: basicAuth(platform.workspace.writeKey) },
    );
    expect(response.status).toBe(200);
    await eventually(async () => {
      const rows: { email: string | null }[] = await platform.database.dataSource.query(
        `SELECT view->>'email' AS email FROM orchestrator.contacts WHERE workspace_id = $1 AND contact_id = $2`,
        [platform.workspaceId, userId],
      );
      return rows[0]?.email === email ? true : undefined;
    }, 30_000);
  };

  /** The next churn prediction for the contact after `after` (scoring time) that satisfies `accept`. */
  const nextPrediction = (contactId: string, after: number, accept: (p: Prediction) => boolean) =>
    eventually(
      async () =>
        churnPredictions(contactId).find((p) => scoredAt(p) > after && p.modelVersion === modelVersion && accept(p)),
      30_000,
    );

  /**
   * Waits until every run `prediction` could start has started: first until the triggers service holds the
   * prediction as the contact's latest churn level (it writes any StartRun to its outbox in that same
   * transaction), then starts the marker workflow for the contact through the triggers API. Its StartRun leaves
   * the same outbox after any earlier one, on the same workflow.commands.v1 partition (keyed by contact), so
   * once the marker run has finished the orchestrator has handled whatever the prediction caused.
   */
  const settle = async (contactId: string, prediction: Prediction) => {
    await eventually(async () => {
      const rows: { scored_at: Date }[] = await platform.database.dataSource.query(
        `SELECT scored_at FROM triggers.prediction_levels WHERE workspace_id = $1 AND contact_id = $2 AND model = 'churn'`,
        [platform.workspaceId, contactId],
      );
      const level = rows[0];
      return level && new Date(level.scored_at).getTime() >= scoredAt(prediction) ? true : undefined;
    }, 20_000);
    const before = runsOf(MARKER, contactId, RunEventKind.RUN_FINISHED).length;
    const response = await postJson(
      `${platform.url}/api/workflows/${MARKER}/start`,
      { contactId, requestId: randomUUID() },
      admin(),
    );
    expect(response.status).toBe(202);
    await eventually(
      async () => (runsOf(MARKER, contactId, RunEventKind.RUN_FINISHED).length > before ? true : undefined),
      20_000,
    );
  };

  beforeAll(async () => {
    platform = await startTestPlatform({
      services: [
        ingestService,
        profilesService,
        predictionsService,
        triggersService,
        orchestratorService,
        studioService,
      ],
      env: {
        PREDICTIONS_FEATURE_WINDOW_DAYS: "7",
        PREDICTIONS_SCORING_DEBOUNCE: "300ms",
        PREDICTIONS_SCORING_INTERVAL: "100ms",
        // Publish every rescoring, also when the score did not move: score updates above 0.7 reach triggers.
        PREDICTIONS_MIN_SCORE_CHANGE: "0",
        PREDICTIONS_SCHEDULER_ENABLED: "false",
        STUDIO_UI_DIR: "/nonexistent-studio-ui",
      },
    });
    const reader = uniqueName("predictive-e2e");
    subscriptions.push(
      await platform.bus.subscribe({
        group: `${reader}-predictions`,
        topic: Topics.PredictionsV1,
        fromBeginning: true,
        handler: async (message) => void predictions.push(message.value),
      }),
      await platform.bus.subscribe({
        group: `${reader}-runs`,
        topic: Topics.WorkflowRunsV1,
        fromBeginning: true,
        handler: async (message) => void runEvents.push(message.value),
      }),
      await platform.bus.subscribe({
        group: `${reader}-email`,
        topic: Topics.ChannelEmailRequestsV1,
        fromBeginning: true,
        handler: async (message) => void emails.push(message.value),
      }),
    );
  });

  afterAll(async () => {
    for (const subscription of subscriptions) await subscription.close();
    await platform?.close();
  });

  it("instantiates the shipped retention template in studio and publishes it; triggers and the orchestrator take it", async () => {
    const instantiated = await postJson(
      `${platform.url}/api/templates/${TEMPLATE}/instantiate`,
      { workflowId: RETENTION },
      admin(),
    );
    expect(instantiated.status).toBe(201);
    const view = (await instantiated.json()) as { valid: boolean; draftRevision: number; draft: WorkflowDefinition };
    expect(view).toMatchObject({ templateId: TEMPLATE, valid: true });
    expect(view.draft.nodes.find((node) => node.kind === "predictive")?.config).toEqual({
      model: "churn",
      threshold: CHURN_THRESHOLD,
      direction: "above",
    });
    // The template re-enters once per 30 days with no concurrent runs, which alone would keep a second run from
    // starting. Loosen it, as a marketer could in the builder, so that only the trigger's edge-triggering does.
    const draft = { ...view.draft, settings: { reentry: { policy: "always" }, allowConcurrentRuns: true } };
    const saved = await fetch(`${platform.url}/api/workflows/${RETENTION}/draft`, {
      method: "PUT",
      headers: { "content-type": "application/json", ...admin() },
      body: JSON.stringify({ definition: draft, revision: view.draftRevision }),
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ valid: true });

    const marker = await postJson(
      `${platform.url}/api/workflows`,
      { workflowId: MARKER, name: markerWorkflow.name, definition: markerWorkflow },
      admin(),
    );
    expect(marker.status).toBe(201);
    expect(await marker.json()).toMatchObject({ valid: true });
    for (const workflowId of [RETENTION, MARKER]) {
      const published = await postJson(`${platform.url}/api/workflows/${workflowId}/publish`, {}, admin());
      expect(published.status).toBe(201);
    }
    await eventually(async () => {
      const rows: { n: string }[] = await platform.database.dataSource.query(
        `SELECT (SELECT count(*) FROM triggers.workflows WHERE workspace_id = $1 AND workflow_id = ANY($2))
              + (SELECT count(*) FROM orchestrator.workflow_heads WHERE workspace_id = $1 AND workflow_id = ANY($2)) AS n`,
        [platform.workspaceId, [RETENTION, MARKER]],
      );
      return Number(rows[0]?.n) === 4 ? true : undefined;
    }, 20_000);
  });

  it("trains and promotes a churn model on tracked history where support tickets precede churn", async () => {
    const history = trainingHistory(started);
    await track(history);
    await eventually(async () => {
      const rows: { n: string }[] = await platform.database.dataSource.query(
        `SELECT count(*) AS n FROM predictions.activity WHERE workspace_id = $1`,
        [platform.workspaceId],
      );
      return Number(rows[0]?.n) >= history.length ? true : undefined;
    }, 60_000);
    const response = await postJson(`${platform.url}/api/models/churn/train`, {}, admin());
    expect(response.status).toBe(200);
    const report = (await response.json()) as { status: string; version: string; metrics: { rocAuc: number } };
    expect(report.status).toBe("active");
    expect(report.metrics.rocAuc).toBeGreaterThan(0.9);
    modelVersion = report.version;
  }, 120_000);

  it("starts exactly one retention run when a contact's churn score crosses 0.7, and emails the contact", async () => {
    const now = Date.now();
    await identify("ada", "ada@example.com", { first_name: "Ada" });
    await track([use("ada", now - 5.5 * DAY), use("ada", now - 3.5 * DAY), use("ada", now - 1.5 * DAY)]);
    const calm = await nextPrediction("ada", 0, () => true);
    expect(calm.score).toBeLessThanOrEqual(CHURN_THRESHOLD);

    await track([ticket("ada", Date.now()), ticket("ada", Date.now()), ticket("ada", Date.now())]);
    const crossing = await nextPrediction("ada", scoredAt(calm), (p) => p.score > CHURN_THRESHOLD);
    expect(crossing.previousScore).toBeLessThanOrEqual(CHURN_THRESHOLD);
    expect(crossing.topFeatures.map((feature) => feature.name)).toContain("support_tickets");

    const run = await eventually(async () => runsOf(RETENTION, "ada")[0], 30_000);
    expect(run).toMatchObject({ version: 1, status: RunStatus.RUNNING });
    const email = await eventually(async () => emails.find((request) => request.runId === run.runId), 20_000);
    expect(email).toMatchObject({
      workflowId: RETENTION,
      contactId: "ada",
      nodeId: "we_miss_you_email",
      subject: expect.stringContaining("We miss you"),
      to: { address: "ada@example.com" },
    });
    // Personalised from the contact's traits; the score is not in the customer's copy.
    expect(email.subject).toContain("{{contact.traits.first_name}}");
    expect(email.variables?.contact).toMatchObject({ traits: { first_name: "Ada" } });
    expect(`${email.subject} ${email.html}`).not.toMatch(/churn|prediction|score/i);
    // The run sees the score that started it, as templates and expressions read it (`prediction.churn`).
    expect(email.variables?.prediction).toEqual({ churn: crossing.score });
    // Then it waits (5 days) for Ada to use the product again.
    await eventually(
      async () => runsOf(RETENTION, "ada", RunEventKind.NODE_WAITING).find((e) => e.nodeId === "wait_for_return"),
      20_000,
    );
    expect(runsOf(RETENTION, "ada")).toHaveLength(1);
  });

  it("starts no second run while later scores stay above 0.7", async () => {
    const crossing = churnPredictions("ada").find((p) => p.score > CHURN_THRESHOLD)!;
    await track([ticket("ada", Date.now())]);
    const later = await nextPrediction("ada", scoredAt(crossing), (p) => p.score > CHURN_THRESHOLD);
    expect(later.previousScore).toBeGreaterThan(CHURN_THRESHOLD);
    await settle("ada", later);
    expect(runsOf(RETENTION, "ada")).toHaveLength(1);
    expect(emails.filter((request) => request.contactId === "ada")).toHaveLength(1);
  });

  it("starts no run for a contact whose churn score stays below 0.7", async () => {
    const now = Date.now();
    await identify("bob", "bob@example.com");
    await track([use("bob", now - 5 * DAY), use("bob", now - 3 * DAY), use("bob", now - DAY), use("bob", now)]);
    const steady = await nextPrediction("bob", 0, () => true);
    expect(steady.score).toBeLessThanOrEqual(CHURN_THRESHOLD);
    await settle("bob", steady);
    expect(runsOf(RETENTION, "bob")).toEqual([]);
  });

  it("ends Ada's run with the goal when she uses the product again", async () => {
    await track([use("ada", Date.now())]);
    const finished = await eventually(async () => runsOf(RETENTION, "ada", RunEventKind.RUN_FINISHED)[0], 30_000);
    expect(finished.status).toBe(RunStatus.EXITED);
    expect(
      runsOf(RETENTION, "ada", RunEventKind.NODE_ENTERED)
        .filter((e) => e.nodeKind === "exit")
        .map((e) => e.nodeId),
    ).toEqual(["came_back"]);
    expect(runsOf(RETENTION, "ada")).toHaveLength(1);
    expect(emails.filter((request) => request.contactId === "ada").map((request) => request.nodeId)).toEqual([
      "we_miss_you_email",
    ]);
  });
});
