import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";
import { PendingScoringRepository } from "../../scoring/pending-scoring.repository.js";
import { Clock } from "../../shared/clock.js";
import type { ModelName } from "../../shared/model-names.js";
import { PredictionsError } from "../../shared/predictions-error.js";
import { ModelRegistryRepository, type ModelVersionView } from "../model-registry.repository.js";

/**
 * Rollback: makes an earlier version active again. Only a version that was promoted once (it passed
 * validation) can come back; rejected and failed versions cannot. Every contact is queued for rescoring.
 */
@Injectable()
export class RollbackModelUseCase {
  private readonly registry = new ModelRegistryRepository();
  private readonly pending = new PendingScoringRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  execute(command: { workspaceId: string; model: ModelName; version: string }): Promise<ModelVersionView> {
    const { workspaceId, model, version } = command;
    return this.dataSource.transaction(async (manager) => {
      const target = await this.registry.find(manager, workspaceId, model, version);
      if (target === undefined) throw new PredictionsError("VERSION_NOT_FOUND", `${model} has no version "${version}"`);
      if (target.promotedAt === null)
        throw new PredictionsError(
          "VERSION_NOT_ROLLBACKABLE",
          `${model} version "${version}" was never promoted (status ${target.status}: ${target.decision})`,
        );
      const now = this.clock.now();
      await this.registry.activate(manager, workspaceId, model, version, now);
      await this.pending.scheduleWorkspace(manager, workspaceId, now);
      return (await this.registry.find(manager, workspaceId, model, version)) as ModelVersionView;
    });
  }
}
