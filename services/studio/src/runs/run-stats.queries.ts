import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";
import { StudioError } from "../http/studio-error.js";
import { RunStatsRepository, type NodeCounts, type RunSummary, type TimelineEntry } from "./run-stats.repository.js";

export interface WorkflowStats {
  workflowId: string;
  /** The version counted, or null for every version summed per node. */
  version: number | null;
  nodes: Record<string, NodeCounts>;
  /** Runs by status (`running`, `waiting`, `completed`, `failed`, `cancelled`, `exited`). */
  runs: Record<string, number>;
}

/** Read side of the run statistics. */
@Injectable()
export class RunStatsQueries {
  private readonly repository = new RunStatsRepository();

  constructor(private readonly dataSource: DataSource) {}

  async stats(workspaceId: string, workflowId: string, version?: number): Promise<WorkflowStats> {
    const manager = this.dataSource.manager;
    const [nodes, runs] = await Promise.all([
      this.repository.nodeCounts(manager, workspaceId, workflowId, version),
      this.repository.runCounts(manager, workspaceId, workflowId, version),
    ]);
    return { workflowId, version: version ?? null, nodes, runs };
  }

  runs(workspaceId: string, workflowId: string, limit: number, status?: string): Promise<RunSummary[]> {
    return this.repository.listRuns(this.dataSource.manager, workspaceId, workflowId, limit, status);
  }

  async run(
    workspaceId: string,
    workflowId: string,
    runId: string,
  ): Promise<RunSummary & { timeline: TimelineEntry[] }> {
    const run = await this.repository.findRun(this.dataSource.manager, workspaceId, runId);
    if (!run || run.workflowId !== workflowId)
      throw new StudioError("RUN_NOT_FOUND", `no run ${runId} of workflow ${workflowId}`);
    return { ...run, timeline: await this.repository.timeline(this.dataSource.manager, workspaceId, runId) };
  }
}
