import { Injectable } from "@nestjs/common";
import { recommendItems } from "@cascade/ml";
import { Topics } from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource, type EntityManager } from "typeorm";
import { PredictionsConfig } from "../../config/predictions.config.js";
import type { Activity } from "../../features/activity.js";
import { ActivityRepository } from "../../features/activity.repository.js";
import { ContactFeaturesRepository } from "../../features/contact-features.repository.js";
import { computeFeatures, type ContactFeatures } from "../../features/feature-definitions.js";
import { Clock } from "../../shared/clock.js";
import { PREDICTIONS_SCHEMA } from "../../shared/model-names.js";
import { ActiveModels, type LoadedModel } from "../active-models.js";
import { PendingScoringRepository } from "../pending-scoring.repository.js";
import { isWorthPublishing, predictionMessage } from "../prediction-message.js";
import { PredictionsRepository, type StoredPrediction } from "../predictions.repository.js";

const TOP_FEATURES = 5;

/**
 * Scores the contacts whose debounce has expired (real-time scoring) or that a promotion queued (batch
 * scoring): recomputes their features from the activity log, stores them, scores every active model, stores
 * the predictions and puts those that moved on predictions.v1 through the outbox, all in one transaction
 * per batch. Claims with FOR UPDATE SKIP LOCKED, so replicas share the queue. Returns how many it scored.
 */
@Injectable()
export class ScoreDueContactsUseCase {
  private readonly pending = new PendingScoringRepository();
  private readonly activity = new ActivityRepository();
  private readonly features = new ContactFeaturesRepository();
  private readonly predictions = new PredictionsRepository();
  private readonly outbox = new Outbox(PREDICTIONS_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly config: PredictionsConfig,
    private readonly clock: Clock,
    private readonly activeModels: ActiveModels,
  ) {}

  async execute(): Promise<number> {
    let published = 0;
    const scored = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await this.pending.claimDue(manager, now, this.config.scoringBatch);
      const byWorkspace = new Map<string, string[]>();
      for (const { workspaceId, contactId } of due)
        byWorkspace.set(workspaceId, [...(byWorkspace.get(workspaceId) ?? []), contactId]);
      for (const [workspaceId, contactIds] of byWorkspace) {
        published += await this.scoreWorkspace(manager, workspaceId, contactIds, now);
        await this.pending.remove(manager, workspaceId, contactIds);
      }
      return due.length;
    });
    if (published > 0) this.relays.notify(PREDICTIONS_SCHEMA);
    return scored;
  }

  private async scoreWorkspace(
    manager: EntityManager,
    workspaceId: string,
    contactIds: string[],
    now: Date,
  ): Promise<number> {
    const models = await this.activeModels.of(manager, workspaceId);
    const activity = await this.activity.ofContacts(manager, workspaceId, contactIds);
    let published = 0;
    for (const contactId of contactIds) {
      const history = activity.get(contactId) ?? [];
      const features = computeFeatures(history, now, this.config.featureWindowDays);
      await this.features.save(manager, workspaceId, contactId, features, now);
      if (models.length === 0) continue;
      const previous = new Map(
        (await this.predictions.ofContact(manager, workspaceId, contactId)).map((p) => [p.model, p]),
      );
      const messages = [];
      for (const model of models) {
        const next = this.predict(model, contactId, features, history, now);
        if (next === undefined) continue;
        const before = previous.get(next.model);
        await this.predictions.save(manager, workspaceId, contactId, next);
        if (isWorthPublishing(before, next, this.config.minScoreChange))
          messages.push({ value: predictionMessage(workspaceId, contactId, next, before?.score) });
      }
      if (messages.length > 0) {
        await this.outbox.add(manager, Topics.PredictionsV1, messages);
        published += messages.length;
      }
    }
    return published;
  }

  private predict(
    model: LoadedModel,
    contactId: string,
    features: ContactFeatures,
    history: readonly Activity[],
    now: Date,
  ): StoredPrediction | undefined {
    if (model.kind === "classifier") {
      const score = model.scorer.score([features])[0] as number;
      return {
        model: model.model,
        score,
        modelVersion: model.version,
        confident: score >= this.config.thresholds[model.model],
        topFeatures: model.scorer
          .topFeatures(features, TOP_FEATURES)
          .map((feature) => ({ name: feature.column, contribution: feature.contribution })),
        recommendedItems: [],
        scoredAt: now,
      };
    }
    const seen = new Set(
      history.flatMap((row) =>
        row.itemId !== null && (row.kind === "content_view" || row.kind === "share") ? [row.itemId] : [],
      ),
    );
    const threshold = this.config.thresholds.content_interest;
    const items = recommendItems(model.artifact.recommender, contactId, this.config.topItems, {
      exclude: seen,
      minScore: threshold,
      index: model.index,
    });
    const best = items[0];
    if (best === undefined) return undefined;
    return {
      model: "content_interest",
      score: best.score,
      modelVersion: model.version,
      confident: true,
      topFeatures: [],
      recommendedItems: items,
      scoredAt: now,
    };
  }
}
