import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";
import { StudioError } from "../../http/studio-error.js";
import { viewOf, type WorkflowView } from "../workflow-view.js";
import { WorkflowsRepository } from "../workflows.repository.js";

export interface SaveDraftCommand {
  workspaceId: string;
  workflowId: string;
  definition: Record<string, unknown>;
  /** The revision the editor started from; a different current revision is a conflict (409). */
  expectedRevision?: number;
}

/**
 * Replaces a workflow's draft. Drafts may be invalid (the answer lists the problems); the definition's id is
 * always the workflow id, and its name and description become the workflow's.
 */
@Injectable()
export class SaveDraftUseCase {
  private readonly workflows = new WorkflowsRepository();

  constructor(private readonly dataSource: DataSource) {}

  async execute(command: SaveDraftCommand): Promise<WorkflowView> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.workflows.find(manager, command.workspaceId, command.workflowId, true);
      if (!current) throw new StudioError("WORKFLOW_NOT_FOUND", `no workflow ${command.workflowId} in this workspace`);
      if (command.expectedRevision !== undefined && command.expectedRevision !== current.draftRevision) {
        throw new StudioError(
          "DRAFT_CONFLICT",
          `the draft changed since revision ${command.expectedRevision} (now ${current.draftRevision}): reload it before saving`,
        );
      }
      const name =
        typeof command.definition.name === "string" && command.definition.name.trim() !== ""
          ? command.definition.name
          : current.name;
      const description =
        typeof command.definition.description === "string" ? command.definition.description : current.description;
      const definition: Record<string, unknown> = { ...command.definition, id: current.workflowId };
      delete definition.version;
      const at = new Date();
      const revision = current.draftRevision + 1;
      await this.workflows.saveDraft(manager, current, { definition, name, description, revision, at });
      return viewOf({
        ...current,
        draft: definition,
        name,
        description,
        draftRevision: revision,
        updatedAt: at.toISOString(),
      });
    });
  }
}
