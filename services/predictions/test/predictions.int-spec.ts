import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import {
  ContactErasedSchema,
  create,
  EventSchema,
  EventType,
  newEnvelope,
  PredictionModel,
  ProfileChangeSchema,
  timestampNow,
  Topics,
  type Prediction,
} from "@cascade/contracts";
import type { Subscription } from "@cascade/bus";
import { eventually, postJson, startTestPlatform, type TestPlatform } from "@cascade/testing";
import { predictionsService } from "../src/index.js";
import { ActivityRepository } from "../src/features/activity.repository.js";
import { PendingScoringRepository } from "../src/scoring/pending-scoring.repository.js";
import { loadPredictionsConfig } from "../src/config/predictions.config.js";
import { ManualClock, SystemClock } from "../src/shared/clock.js";
import { syntheticActivity } from "../src/training/synthetic-activity.js";
import { TrainingScheduler } from "../src/training/training-scheduler.js";
import { TrainModelUseCase } from "../src/training/use-cases/train-model.use-case.js";

const DAY = 86_400_000;
const ENV = {
  PREDICTIONS_SCORING_DEBOUNCE: "300ms",
  PREDICTIONS_SCORING_INTERVAL: "100ms",
  PREDICTIONS_SCHEDULER_ENABLED: "false",
};

interface VersionBody {
  version: string;
  status: string;
  decision: string;
  metrics: { rocAuc?: number; logLoss?: number; recallAtK?: number; precisionAtK?: number } | null;
  currentMetrics: unknown;
  promotedAt: string | null;
}

describe("predictions service on the real broker and PostgreSQL", () => {
  let platform: TestPlatform;
  let subscription: Subscription;
  const received: Prediction[] = [];
  const now = new Date();

  const admin = () => ({ authorization: `Bearer ${platform.workspace.adminKey}` });
  const train = async (model: string) => {
    const response = await postJson(`${platform.url}/api/models/${model}/train`, {}, admin());
    expect(response.status).toBe(200);
    return (await response.json()) as VersionBody & { status: string };
  };
  const versions = async (model: string) =>
    (
      (await (await fetch(`${platform.url}/api/models/${model}/versions`, { headers: admin() })).json()) as {
        versions: VersionBody[];
      }
    ).versions;
  const predictionsOf = (contactId: string, model: PredictionModel) =>
    received.filter((p) => p.contactId === contactId && p.model === model);

  beforeAll(async () => {
    platform = await startTestPlatform({ services: [predictionsService], env: ENV });
    subscription = await platform.bus.subscribe({
      group: `prediction-collector-${randomUUID()}`,
      topic: Topics.PredictionsV1,
      handler: async (message) => {
        received.push(message.value);
      },
    });
    // Training history (90 days, 300 contacts) is written straight into the activity log: pushing ~20k
    // events through the broker would only slow the suite. Real-time paths below go through Kafka.
    const history = syntheticActivity({ contacts: 300, days: 90, now, seed: 3 });
    const activity = new ActivityRepository();
    const pending = new PendingScoringRepository();
    await platform.database.dataSource.transaction(async (manager) => {
      for (const rows of history.values())
        await activity.recordMany(
          manager,
          platform.workspaceId,
          rows.map((row) => ({ ...row, messageId: `seed-${randomUUID()}` })),
        );
      for (const contactId of history.keys()) await pending.schedule(manager, platform.workspaceId, contactId, now);
    });
  });

  afterAll(async () => {
    await subscription?.close();
    await platform?.close();
  });

  it("trains churn on demand, promotes it, and batch-scores every contact onto predictions.v1", async () => {
    const report = await train("churn");
    expect(report).toMatchObject({ status: "active" });
    expect(report.metrics?.rocAuc).toBeGreaterThan(0.7);
    const [version] = await versions("churn");
    expect(version).toMatchObject({ version: report.version, status: "active", decision: "no current version" });
    expect(version?.metrics).toMatchObject({
      rocAuc: expect.any(Number),
      prAuc: expect.any(Number),
      logLoss: expect.any(Number),
    });
    expect(Array.isArray((version?.metrics as { calibration?: unknown }).calibration)).toBe(true);

    const prediction = await eventually(async () => predictionsOf("contact-7", PredictionModel.CHURN)[0], 30_000);
    expect(prediction.modelVersion).toBe(report.version);
    expect(prediction.score).toBeGreaterThanOrEqual(0);
    expect(prediction.score).toBeLessThanOrEqual(1);
    expect(prediction.previousScore).toBeUndefined();
    expect(prediction.topFeatures.length).toBeGreaterThan(0);
    const names = prediction.topFeatures.map((feature) => feature.name);
    expect(names.every((name) => typeof name === "string" && name.length > 0)).toBe(true);
    await eventually(async () => {
      const size = new Set(received.filter((p) => p.model === PredictionModel.CHURN).map((p) => p.contactId)).size;
      return size >= 300 ? true : undefined;
    }, 30_000);

    const response = await fetch(`${platform.url}/api/contacts/contact-7/predictions`, { headers: admin() });
    const body = (await response.json()) as { predictions: { model: string; score: number; modelVersion: string }[] };
    expect(body.predictions).toEqual([
      expect.objectContaining({ model: "churn", score: prediction.score, modelVersion: report.version }),
    ]);
  });

  it("keeps the current version when a retrained one does not beat it on the same validation rows", async () => {
    const report = await train("churn");
    expect(report.status).toBe("rejected");
    expect(report.decision).toMatch(/does not beat current/);
    const all = await versions("churn");
    expect(all.map((v) => v.status).sort()).toEqual(["active", "rejected"]);
    const rollbackToRejected = await postJson(
      `${platform.url}/api/models/churn/rollback`,
      { version: report.version },
      admin(),
    );
    expect(rollbackToRejected.status).toBe(409);
    const missingVersion = await postJson(`${platform.url}/api/models/churn/rollback`, {}, admin());
    expect(missingVersion.status).toBe(400);
    expect(((await missingVersion.json()) as { message: string }).message).toContain("version");
    const unknownModel = await postJson(`${platform.url}/api/models/weather/train`, {}, admin());
    expect(unknownModel.status).toBe(404);
  });

  it("leaves the active version in place when training fails, and records the failure", async () => {
    const config = { ...loadPredictionsConfig(ENV), minTrainingRows: 1_000_000 };
    const failing = new TrainModelUseCase(platform.database.dataSource, config, new SystemClock());
    const active = (await versions("churn")).find((v) => v.status === "active");
    const report = await failing.execute({ workspaceId: platform.workspaceId, model: "churn", reason: "api" });
    expect(report.status).toBe("failed");
    expect(report.decision).toMatch(/at least 1000000 are needed; the current version stays active/);
    const after = await versions("churn");
    expect(after.find((v) => v.status === "active")?.version).toBe(active?.version);
    expect(after.find((v) => v.version === report.version)?.status).toBe("failed");
  });

  it("rescores a contact in real time (debounced) when its events arrive on events.v1", async () => {
    const contactId = "contact-11";
    const before = predictionsOf(contactId, PredictionModel.CHURN).length;
    const events = Array.from({ length: 5 }, (_, i) =>
      create(EventSchema, {
        envelope: newEnvelope(platform.workspaceId),
        type: EventType.TRACK,
        event: i % 2 === 0 ? "Support Ticket Created" : "Product Viewed",
        contactId,
        userId: contactId,
        timestamp: timestampNow(),
      }),
    );
    await platform.bus.publish(
      Topics.EventsV1,
      events.map((value) => ({ value })),
    );
    const features = await eventually(async () => {
      const rows: { features: { support_tickets: number; days_since_last_activity: number } }[] =
        await platform.database.dataSource.query(
          `SELECT features FROM predictions.contact_features WHERE workspace_id = $1 AND contact_id = $2`,
          [platform.workspaceId, contactId],
        );
      const current = rows[0]?.features;
      return current && current.days_since_last_activity < 0.01 ? current : undefined;
    }, 20_000);
    expect(features.support_tickets).toBeGreaterThanOrEqual(3);
    // One debounced scoring for the burst: the pending row is gone and at most one new prediction exists.
    await eventually(async () => {
      const pending: unknown[] = await platform.database.dataSource.query(
        `SELECT 1 FROM predictions.pending_scoring WHERE workspace_id = $1 AND contact_id = $2`,
        [platform.workspaceId, contactId],
      );
      return pending.length === 0 ? true : undefined;
    });
    expect(predictionsOf(contactId, PredictionModel.CHURN).length - before).toBeLessThanOrEqual(1);
  });

  it("trains content interest with TF.js and publishes recommended items", async () => {
    const report = await train("content_interest");
    expect(report.status).toBe("active");
    expect(report.metrics?.recallAtK).toBeGreaterThan(0);
    const prediction = await eventually(
      async () => received.find((p) => p.model === PredictionModel.CONTENT_INTEREST && p.recommendedItems.length > 0),
      30_000,
    );
    expect(prediction.modelVersion).toBe(report.version);
    expect(prediction.score).toBe(prediction.recommendedItems[0]?.score);
    expect(prediction.recommendedItems.every((item) => item.score >= 0.7 && item.itemId.startsWith("item-"))).toBe(
      true,
    );
  });

  it("trains on schedule: a due slot is claimed by exactly one of two schedulers", async () => {
    const dataSource = platform.database.dataSource;
    await dataSource.query(
      `INSERT INTO predictions.training_schedule (workspace_id, model, next_run_at) VALUES ($1, 'purchase_intent', $2)
       ON CONFLICT (workspace_id, model) DO UPDATE SET next_run_at = EXCLUDED.next_run_at`,
      [platform.workspaceId, new Date(now.getTime() + DAY)],
    );
    await dataSource.query(
      `UPDATE predictions.training_schedule SET next_run_at = $2 WHERE workspace_id = $1 AND model <> 'purchase_intent'`,
      [platform.workspaceId, new Date(now.getTime() + 30 * DAY)],
    );
    const clock = new ManualClock(now);
    const config = loadPredictionsConfig(ENV);
    const trainModel = new TrainModelUseCase(dataSource, config, clock);
    const schedulers = [
      new TrainingScheduler(dataSource, trainModel, config, clock),
      new TrainingScheduler(dataSource, trainModel, config, clock),
    ];
    expect((await Promise.all(schedulers.map((s) => s.tick()))).flat()).toEqual([]);
    clock.advance(DAY + 1);
    const reports = (await Promise.all(schedulers.map((s) => s.tick()))).flat();
    expect(reports.map((r) => r.model)).toEqual(["purchase_intent"]);
    expect(reports[0]?.status).toBe("active");
    const [row] = (await dataSource.query(
      `SELECT next_run_at, last_outcome FROM predictions.training_schedule WHERE workspace_id = $1 AND model = 'purchase_intent'`,
      [platform.workspaceId],
    )) as { next_run_at: Date; last_outcome: string }[];
    expect(new Date(row?.next_run_at ?? 0).getTime()).toBe(now.getTime() + 2 * DAY + 1);
    expect(row?.last_outcome).toMatch(/^active/);
  });

  it("erases everything about a contact on ContactErased", async () => {
    const contactId = "contact-21";
    const erased = create(ProfileChangeSchema, {
      envelope: newEnvelope(platform.workspaceId),
      contactId,
      change: { case: "erased", value: create(ContactErasedSchema, { requestedBy: "test", reason: "gdpr" }) },
    });
    await platform.bus.publish(Topics.ProfilesChangesV1, [{ value: erased }]);
    await eventually(async () => {
      const rows: { n: string }[] = await platform.database.dataSource.query(
        `SELECT (SELECT count(*) FROM predictions.activity WHERE workspace_id = $1 AND contact_id = $2)
              + (SELECT count(*) FROM predictions.contact_features WHERE workspace_id = $1 AND contact_id = $2)
              + (SELECT count(*) FROM predictions.contact_predictions WHERE workspace_id = $1 AND contact_id = $2) AS n`,
        [platform.workspaceId, contactId],
      );
      return Number(rows[0]?.n) === 0 ? true : undefined;
    }, 20_000);
    const response = await fetch(`${platform.url}/api/contacts/${contactId}/predictions`, { headers: admin() });
    expect(((await response.json()) as { predictions: unknown[] }).predictions).toEqual([]);
  });
});
