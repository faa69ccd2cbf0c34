import { Injectable } from "@nestjs/common";
import { findTemplate } from "@cascade/workflow";
import { randomBytes } from "node:crypto";
import { DataSource } from "typeorm";
import { StudioError } from "../../http/studio-error.js";
import { slugOf, viewOf, type WorkflowView } from "../workflow-view.js";
import { WorkflowsRepository, type WorkflowRecord } from "../workflows.repository.js";

export interface CreateWorkflowCommand {
  workspaceId: string;
  /** Default: a slug of the name plus a random suffix. */
  workflowId?: string;
  name?: string;
  description?: string;
  /** Start from a shipped template (its definition becomes the draft). */
  templateId?: string;
  /** Start from this definition (JSON, may be incomplete); default an empty canvas. */
  definition?: Record<string, unknown>;
}

/** Creates a workflow with a draft: empty, from a definition, or instantiated from a shipped template. */
@Injectable()
export class CreateWorkflowUseCase {
  private readonly workflows = new WorkflowsRepository();

  constructor(private readonly dataSource: DataSource) {}

  async execute(command: CreateWorkflowCommand): Promise<WorkflowView> {
    const template = command.templateId === undefined ? undefined : findTemplate(command.templateId);
    if (command.templateId !== undefined && !template) {
      throw new StudioError("TEMPLATE_NOT_FOUND", `no template ${command.templateId}`);
    }
    const base: Record<string, unknown> = template
      ? (structuredClone(template.definition) as unknown as Record<string, unknown>)
      : (command.definition ?? {});
    const name = command.name ?? (typeof base.name === "string" && base.name !== "" ? base.name : "Untitled workflow");
    const description = command.description ?? (typeof base.description === "string" ? base.description : "");
    const workflowId = command.workflowId ?? `${slugOf(name)}_${randomBytes(4).toString("hex")}`;
    const now = new Date().toISOString();
    const record: WorkflowRecord = {
      workspaceId: command.workspaceId,
      workflowId,
      name,
      description,
      templateId: template?.id ?? "",
      draft: {
        settings: { reentry: { policy: "once" } },
        nodes: [],
        edges: [],
        ...base,
        id: workflowId,
        name,
        description,
        version: undefined,
      },
      draftRevision: 1,
      publishedVersion: null,
      status: "draft",
      createdAt: now,
      updatedAt: now,
    };
    delete record.draft.version;
    if (!(await this.workflows.insert(this.dataSource.manager, record))) {
      throw new StudioError("WORKFLOW_EXISTS", `a workflow ${workflowId} already exists in this workspace`);
    }
    return viewOf(record);
  }
}
