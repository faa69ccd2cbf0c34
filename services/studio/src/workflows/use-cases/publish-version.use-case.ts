import { Injectable } from "@nestjs/common";
import { create, newEnvelope, Topics, WorkflowDefinitionSchema, WorkflowDefinitionStatus } from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { validateDefinition } from "@cascade/workflow";
import { DataSource } from "typeorm";
import { StudioError } from "../../http/studio-error.js";
import { STUDIO_SCHEMA } from "../../studio.constants.js";
import { triggerSummaries } from "../trigger-summary.js";
import { WorkflowsRepository, type VersionRecord } from "../workflows.repository.js";

export interface PublishVersionCommand {
  workspaceId: string;
  workflowId: string;
  publishedBy: string;
  note?: string;
  /** Roll back: publish this older version's definition anew (and make it the draft) instead of the draft. */
  restoreFrom?: number;
}

/**
 * Publishes the draft (or, for a rollback, an older version) as the next immutable version: validates it
 * with libs/workflow (422 with every problem otherwise), stores the version, marks the workflow published and
 * writes the WorkflowDefinition for workflow.definitions.v1 to the outbox, all in one transaction.
 */
@Injectable()
export class PublishVersionUseCase {
  private readonly workflows = new WorkflowsRepository();
  private readonly outbox = new Outbox(STUDIO_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
  ) {}

  async execute(command: PublishVersionCommand): Promise<VersionRecord> {
    const { workspaceId, workflowId } = command;
    const published = await this.dataSource.transaction(async (manager) => {
      const workflow = await this.workflows.find(manager, workspaceId, workflowId, true);
      if (!workflow) throw new StudioError("WORKFLOW_NOT_FOUND", `no workflow ${workflowId} in this workspace`);
      let source = workflow.draft;
      if (command.restoreFrom !== undefined) {
        const old = await this.workflows.findVersion(manager, workspaceId, workflowId, command.restoreFrom);
        if (!old)
          throw new StudioError("VERSION_NOT_FOUND", `workflow ${workflowId} has no version ${command.restoreFrom}`);
        source = old.definition;
      }
      const version = (await this.workflows.latestVersionNumber(manager, workspaceId, workflowId)) + 1;
      const definition: Record<string, unknown> = { ...source, id: workflowId, version };
      const result = validateDefinition(definition);
      if (!result.ok || !result.definition) {
        throw new StudioError(
          "INVALID_DEFINITION",
          `the definition has ${result.problems.length} problem(s): ${result.problems[0]?.message ?? ""}`,
          {
            problems: result.problems,
          },
        );
      }
      const now = new Date();
      const record: VersionRecord = {
        workflowId,
        version,
        definition,
        publishedBy: command.publishedBy,
        publishedAt: now.toISOString(),
        note: command.note ?? (command.restoreFrom !== undefined ? `rollback to version ${command.restoreFrom}` : ""),
        restoredFrom: command.restoreFrom ?? null,
      };
      await this.workflows.insertVersion(manager, workspaceId, record);
      await this.workflows.setStatus(manager, workflow, "published", version, now);
      if (command.restoreFrom !== undefined) {
        const draft: Record<string, unknown> = { ...source, id: workflowId };
        delete draft.version;
        const name = typeof draft.name === "string" && draft.name !== "" ? draft.name : workflow.name;
        const description = typeof draft.description === "string" ? draft.description : workflow.description;
        await this.workflows.saveDraft(manager, workflow, {
          definition: draft,
          name,
          description,
          revision: workflow.draftRevision + 1,
          at: now,
        });
      }
      const message = create(WorkflowDefinitionSchema, {
        envelope: newEnvelope(workspaceId, now),
        workflowId,
        version,
        name: result.definition.name,
        status: WorkflowDefinitionStatus.PUBLISHED,
        definitionJson: JSON.stringify(definition),
        triggers: triggerSummaries(result.definition),
        templateId: workflow.templateId,
        publishedBy: command.publishedBy,
      });
      await this.outbox.add(manager, Topics.WorkflowDefinitionsV1, [{ value: message }]);
      return record;
    });
    this.relays.notify(STUDIO_SCHEMA);
    return published;
  }
}
