import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";
import { StudioError } from "../http/studio-error.js";
import { diffDefinitions, type DefinitionDiff } from "./definition-diff.js";
import { viewOf, type WorkflowView } from "./workflow-view.js";
import { WorkflowsRepository, type VersionRecord, type WorkflowRecord } from "./workflows.repository.js";

export type VersionSummary = Omit<VersionRecord, "definition">;

/** Read side of workflows: one workflow, the list, versions and diffs. */
@Injectable()
export class WorkflowQueries {
  private readonly workflows = new WorkflowsRepository();

  constructor(private readonly dataSource: DataSource) {}

  async get(workspaceId: string, workflowId: string): Promise<WorkflowView> {
    return viewOf(await this.require(workspaceId, workflowId));
  }

  async list(workspaceId: string): Promise<Array<Omit<WorkflowView, "draft" | "problems">>> {
    const records = await this.workflows.list(this.dataSource.manager, workspaceId);
    return records.map((record) => {
      const { draft: _draft, problems: _problems, ...summary } = viewOf(record);
      return summary;
    });
  }

  async versions(workspaceId: string, workflowId: string): Promise<VersionSummary[]> {
    await this.require(workspaceId, workflowId);
    const versions = await this.workflows.listVersions(this.dataSource.manager, workspaceId, workflowId);
    return versions.map(({ definition: _definition, ...summary }) => summary);
  }

  async version(workspaceId: string, workflowId: string, version: number): Promise<VersionRecord> {
    await this.require(workspaceId, workflowId);
    const found = await this.workflows.findVersion(this.dataSource.manager, workspaceId, workflowId, version);
    if (!found) throw new StudioError("VERSION_NOT_FOUND", `workflow ${workflowId} has no version ${version}`);
    return found;
  }

  /** Diff between two versions; `"draft"` stands for the current draft. */
  async diff(
    workspaceId: string,
    workflowId: string,
    from: number | "draft",
    to: number | "draft",
  ): Promise<DefinitionDiff & { from: number | "draft"; to: number | "draft" }> {
    const workflow = await this.require(workspaceId, workflowId);
    const definitionOf = async (which: number | "draft"): Promise<Record<string, unknown>> =>
      which === "draft" ? workflow.draft : (await this.version(workspaceId, workflowId, which)).definition;
    const [before, after] = await Promise.all([definitionOf(from), definitionOf(to)]);
    return { from, to, ...diffDefinitions(before, after) };
  }

  async require(workspaceId: string, workflowId: string): Promise<WorkflowRecord> {
    const workflow = await this.workflows.find(this.dataSource.manager, workspaceId, workflowId);
    if (!workflow) throw new StudioError("WORKFLOW_NOT_FOUND", `no workflow ${workflowId} in this workspace`);
    return workflow;
  }
}
