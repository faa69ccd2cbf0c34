import { Injectable, Logger } from "@nestjs/common";
import {
  evaluateRecommender,
  MlError,
  modelItemScorer,
  popularityItemScorer,
  shouldPromote,
  shouldPromoteRecommender,
  splitInteractionsByTime,
  trainContentInterest,
  type ModelMetrics,
} from "@cascade/ml";
import { DataSource } from "typeorm";
import { PredictionsConfig } from "../../config/predictions.config.js";
import { ActivityRepository } from "../../features/activity.repository.js";
import { ModelRegistryRepository, type VersionStatus } from "../../registry/model-registry.repository.js";
import { PendingScoringRepository } from "../../scoring/pending-scoring.repository.js";
import { Clock } from "../../shared/clock.js";
import type { ClassifierModelName, ModelName } from "../../shared/model-names.js";
import { evaluateClassifier, trainClassifier, type ClassifierArtifact } from "../classifier-training.js";
import { buildLabelledRows, trainingHorizonStart, type LabelSettings } from "../training-data.js";
import type { ModelArtifact } from "../../registry/model-artifact.js";

const DAY_MS = 86_400_000;
/** Content interest learns from this much history. */
const CONTENT_HISTORY_DAYS = 180;

export interface TrainModelCommand {
  readonly workspaceId: string;
  readonly model: ModelName;
  readonly reason: "schedule" | "api";
}

/** What a training run did: promoted a new version, kept the current one, or failed (current kept). */
export interface TrainingReport {
  readonly model: ModelName;
  readonly version: string;
  readonly status: Exclude<VersionStatus, "retired">;
  readonly decision: string;
  readonly metrics: unknown;
  readonly currentMetrics: unknown;
}

interface Candidate {
  readonly algorithm: string;
  readonly artifact: ModelArtifact;
  readonly metrics: unknown;
  readonly currentMetrics: unknown;
  readonly baselineMetrics: unknown;
  readonly training: Record<string, unknown>;
  readonly decision: { readonly promote: boolean; readonly reason: string };
}

/**
 * Trains a new version of one model from the workspace's stream data, validates it by time, scores the
 * current version on the same validation rows and promotes the new one only when it beats it
 * (shouldPromote / shouldPromoteRecommender). Every run is recorded in the registry with its metrics,
 * including failed ones; a failure never touches the active version. A promotion queues every contact
 * of the workspace for scoring (batch scoring).
 */
@Injectable()
export class TrainModelUseCase {
  private readonly log = new Logger(TrainModelUseCase.name);
  private readonly activity = new ActivityRepository();
  private readonly registry = new ModelRegistryRepository();
  private readonly pending = new PendingScoringRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: PredictionsConfig,
    private readonly clock: Clock,
  ) {}

  async execute(command: TrainModelCommand): Promise<TrainingReport> {
    const { workspaceId, model } = command;
    const now = this.clock.now();
    const version = `${model}-${now
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.(\d+)Z$/, "$1Z")}`;
    let candidate: Candidate;
    try {
      candidate =
        model === "content_interest"
          ? await this.trainContentInterest(workspaceId, now)
          : await this.trainClassifierModel(workspaceId, model, now);
    } catch (error) {
      if (!(error instanceof MlError)) throw error;
      const decision = `training failed (${error.code}): ${error.message}; the current version stays active`;
      this.log.warn({ msg: "model training failed", workspaceId, model, code: error.code, reason: error.message });
      await this.dataSource.transaction((manager) =>
        this.registry.insert(manager, {
          workspaceId,
          model,
          version,
          algorithm: algorithmOf(model),
          status: "failed",
          artifact: null,
          metrics: null,
          currentMetrics: null,
          baselineMetrics: null,
          training: { reason: command.reason },
          decision,
          createdAt: now,
        }),
      );
      return { model, version, status: "failed", decision, metrics: null, currentMetrics: null };
    }
    const status = candidate.decision.promote ? "active" : "rejected";
    await this.dataSource.transaction(async (manager) => {
      await this.registry.insert(manager, {
        workspaceId,
        model,
        version,
        algorithm: candidate.algorithm,
        status,
        artifact: candidate.artifact,
        metrics: candidate.metrics,
        currentMetrics: candidate.currentMetrics,
        baselineMetrics: candidate.baselineMetrics,
        training: { ...candidate.training, reason: command.reason },
        decision: candidate.decision.reason,
        createdAt: now,
      });
      if (status === "active") await this.pending.scheduleWorkspace(manager, workspaceId, now);
    });
    this.log.log({ msg: "model trained", workspaceId, model, version, status, decision: candidate.decision.reason });
    return {
      model,
      version,
      status,
      decision: candidate.decision.reason,
      metrics: candidate.metrics,
      currentMetrics: candidate.currentMetrics,
    };
  }

  private labelSettings(): LabelSettings {
    return {
      featureWindowDays: this.config.featureWindowDays,
      churnInactivityDays: this.config.churnInactivityDays,
      purchaseWindowDays: this.config.purchaseWindowDays,
      snapshots: this.config.trainingSnapshots,
    };
  }

  private async currentArtifact(
    workspaceId: string,
    model: ModelName,
  ): Promise<{ version: string; artifact: ModelArtifact } | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const version = (await this.registry.activeVersions(manager, workspaceId)).get(model);
      const artifact = version ? await this.registry.artifactOf(manager, workspaceId, model, version) : undefined;
      return version && artifact ? { version, artifact } : undefined;
    });
  }

  private async trainClassifierModel(workspaceId: string, model: ClassifierModelName, now: Date): Promise<Candidate> {
    const settings = this.labelSettings();
    const activity = await this.dataSource.transaction((manager) =>
      this.activity.since(manager, workspaceId, trainingHorizonStart(model, settings, now)),
    );
    const rows = buildLabelledRows(model, activity, settings, now);
    const result = trainClassifier(model, rows, {
      seed: this.config.seed,
      minRows: this.config.minTrainingRows,
    });
    const current = await this.currentArtifact(workspaceId, model);
    const currentMetrics: ModelMetrics | null =
      current?.artifact.kind === "classifier"
        ? evaluateClassifier(current.artifact as ClassifierArtifact, result.validation)
        : null;
    return {
      algorithm: result.artifact.trained.algorithm,
      artifact: result.artifact,
      metrics: result.metrics,
      currentMetrics: currentMetrics && { version: current?.version, ...currentMetrics },
      baselineMetrics: result.baseline,
      training: { split: result.split, rows: result.rows, durationMs: result.durationMs, seed: this.config.seed },
      decision: shouldPromote(result.metrics, currentMetrics),
    };
  }

  /** Incremental: warm-started from the active version's factors, on the latest interactions. */
  private async trainContentInterest(workspaceId: string, now: Date): Promise<Candidate> {
    const interactions = await this.dataSource.transaction((manager) =>
      this.activity.contentInteractions(manager, workspaceId, new Date(now.getTime() - CONTENT_HISTORY_DAYS * DAY_MS)),
    );
    const split = splitInteractionsByTime(interactions, 0.2);
    const current = await this.currentArtifact(workspaceId, "content_interest");
    const warmStart = current?.artifact.kind === "recommender" ? current.artifact.recommender : undefined;
    const started = performance.now();
    const recommender = await trainContentInterest(split.train, { seed: this.config.seed, warmStart });
    const durationMs = Math.round(performance.now() - started);
    const k = this.config.topItems;
    const metrics = evaluateRecommender(modelItemScorer(recommender), split, k);
    const currentMetrics = warmStart ? evaluateRecommender(modelItemScorer(warmStart), split, k) : null;
    return {
      algorithm: recommender.algorithm,
      artifact: { kind: "recommender", model: "content_interest", recommender },
      metrics,
      currentMetrics: currentMetrics && { version: current?.version, ...currentMetrics },
      baselineMetrics: evaluateRecommender(popularityItemScorer(split), split, k),
      training: {
        split: { method: "time", validationFraction: 0.2 },
        rows: { train: split.train.length, validation: split.validation.length },
        contacts: recommender.contactIds.length,
        items: recommender.itemIds.length,
        incremental: warmStart !== undefined,
        backend: recommender.backend,
        durationMs,
        seed: this.config.seed,
      },
      decision: shouldPromoteRecommender(metrics, currentMetrics),
    };
  }
}

function algorithmOf(model: ModelName): string {
  switch (model) {
    case "churn":
      return "random_forest";
    case "purchase_intent":
      return "gbdt";
    case "content_interest":
      return "weighted_mf";
  }
}
