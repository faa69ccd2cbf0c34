import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseFilters, UseGuards } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { z } from "zod";
import { ModelRegistryRepository, type ModelVersionView } from "../registry/model-registry.repository.js";
import { RollbackModelUseCase } from "../registry/use-cases/rollback-model.use-case.js";
import { PredictionsRepository, type StoredPrediction } from "../scoring/predictions.repository.js";
import { AdminKeyGuard } from "../shared/admin-key.guard.js";
import { isModelName, MODEL_NAMES, type ModelName } from "../shared/model-names.js";
import { parseBody } from "../shared/parse-body.js";
import { PredictionsError, PredictionsErrorFilter } from "../shared/predictions-error.js";
import { TrainModelUseCase, type TrainingReport } from "../training/use-cases/train-model.use-case.js";

const rollbackBody = z.object({ version: z.string().trim().min(1, "must name the version to roll back to") });

function modelOf(name: string): ModelName {
  if (!isModelName(name))
    throw new PredictionsError("UNKNOWN_MODEL", `model "${name}" is unknown; models are ${MODEL_NAMES.join(", ")}`);
  return name;
}

/** Admin API of the model registry and predictions (admin key as Bearer). */
@Controller("api")
@UseGuards(AdminKeyGuard)
@UseFilters(PredictionsErrorFilter)
export class ModelsController {
  private readonly registry = new ModelRegistryRepository();
  private readonly predictions = new PredictionsRepository();

  constructor(
    private readonly trainModel: TrainModelUseCase,
    private readonly rollbackModel: RollbackModelUseCase,
    private readonly dataSource: DataSource,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  /** Trains a new version now from the stream data; 200 with the outcome (promoted, rejected or failed). */
  @Post("models/:model/train")
  @HttpCode(200)
  train(@Param("model") model: string): Promise<TrainingReport> {
    return this.trainModel.execute({ workspaceId: this.workspace.id, model: modelOf(model), reason: "api" });
  }

  /** Every version, newest first, with its validation metrics and the promotion decision. */
  @Get("models/:model/versions")
  async versions(@Param("model") model: string): Promise<{ versions: ModelVersionView[] }> {
    const name = modelOf(model);
    return {
      versions: await this.dataSource.transaction((manager) => this.registry.list(manager, this.workspace.id, name)),
    };
  }

  @Post("models/:model/rollback")
  @HttpCode(200)
  rollback(@Param("model") model: string, @Body() body: unknown): Promise<ModelVersionView> {
    const { version } = parseBody(rollbackBody, body);
    return this.rollbackModel.execute({ workspaceId: this.workspace.id, model: modelOf(model), version });
  }

  /** The contact's latest prediction per model (empty when it has none). */
  @Get("contacts/:contactId/predictions")
  async contactPredictions(
    @Param("contactId") contactId: string,
  ): Promise<{ contactId: string; predictions: StoredPrediction[] }> {
    const predictions = await this.dataSource.transaction((manager) =>
      this.predictions.ofContact(manager, this.workspace.id, contactId),
    );
    return { contactId, predictions };
  }
}
