import { Controller, Logger } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { PredictionModel, timestampDate, Topics, type Prediction } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { TriggersGroups } from "../shared/constants.js";
import { TriggersMetrics } from "../shared/triggers-metrics.js";
import { EvaluatePredictionUseCase } from "./use-cases/evaluate-prediction.use-case.js";

/** Model names as predictive trigger configs write them (`prediction.churn`). */
const MODEL_NAMES: Partial<Record<PredictionModel, string>> = {
  [PredictionModel.CHURN]: "churn",
  [PredictionModel.PURCHASE_INTENT]: "purchase_intent",
  [PredictionModel.CONTENT_INTEREST]: "content_interest",
};

/** Reads predictions.v1 for predictive triggers. */
@Controller()
export class PredictionsConsumer {
  private readonly log = new Logger(PredictionsConsumer.name);

  constructor(
    private readonly evaluatePrediction: EvaluatePredictionUseCase,
    private readonly metrics: TriggersMetrics,
  ) {}

  @Consume(Topics.PredictionsV1, { group: TriggersGroups.predictions })
  async onPrediction(@Payload() message: Delivered<Prediction>): Promise<HandlerResult> {
    const prediction = message.value;
    const workspaceId = prediction.envelope?.workspace ?? "";
    const model = MODEL_NAMES[prediction.model];
    const reason = !workspaceId
      ? "missing_workspace"
      : !prediction.contactId
        ? "missing_contact"
        : !model
          ? "unknown_model"
          : !Number.isFinite(prediction.score)
            ? "invalid_score"
            : undefined;
    if (reason || !model) {
      this.metrics.skipped.inc({ topic: Topics.PredictionsV1.name, reason: reason ?? "unknown_model" });
      this.log.warn({
        msg: "prediction skipped",
        reason,
        messageId: message.id,
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
      });
      return "skipped";
    }
    return this.evaluatePrediction.execute({
      messageId: message.id,
      workspaceId,
      contactId: prediction.contactId,
      model,
      score: prediction.score,
      previousScore: prediction.previousScore,
      scoredAt: prediction.envelope?.occurredAt ? timestampDate(prediction.envelope.occurredAt) : new Date(),
    });
  }
}
