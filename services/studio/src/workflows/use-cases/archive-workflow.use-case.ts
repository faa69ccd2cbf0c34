import { Injectable } from "@nestjs/common";
import { create, newEnvelope, Topics, WorkflowDefinitionSchema, WorkflowDefinitionStatus } from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { StudioError } from "../../http/studio-error.js";
import { STUDIO_SCHEMA } from "../../studio.constants.js";
import { WorkflowsRepository } from "../workflows.repository.js";

/**
 * Stops new runs of a published workflow: status archived, and a WorkflowDefinition with status ARCHIVED
 * for its latest version on workflow.definitions.v1 (running runs finish on their version).
 */
@Injectable()
export class ArchiveWorkflowUseCase {
  private readonly workflows = new WorkflowsRepository();
  private readonly outbox = new Outbox(STUDIO_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
  ) {}

  async execute(command: { workspaceId: string; workflowId: string; archivedBy: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const workflow = await this.workflows.find(manager, command.workspaceId, command.workflowId, true);
      if (!workflow) throw new StudioError("WORKFLOW_NOT_FOUND", `no workflow ${command.workflowId} in this workspace`);
      if (workflow.publishedVersion === null)
        throw new StudioError("NOT_PUBLISHED", `workflow ${command.workflowId} was never published`);
      const latest = await this.workflows.findVersion(
        manager,
        command.workspaceId,
        command.workflowId,
        workflow.publishedVersion,
      );
      const now = new Date();
      await this.workflows.setStatus(manager, workflow, "archived", workflow.publishedVersion, now);
      const message = create(WorkflowDefinitionSchema, {
        envelope: newEnvelope(command.workspaceId, now),
        workflowId: workflow.workflowId,
        version: workflow.publishedVersion,
        name: workflow.name,
        status: WorkflowDefinitionStatus.ARCHIVED,
        definitionJson: JSON.stringify(latest?.definition ?? {}),
        templateId: workflow.templateId,
        publishedBy: command.archivedBy,
      });
      await this.outbox.add(manager, Topics.WorkflowDefinitionsV1, [{ value: message }]);
    });
    this.relays.notify(STUDIO_SCHEMA);
  }
}
