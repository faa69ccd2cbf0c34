import { Controller, Get, Inject, Param, Query, Res, UseFilters, UseGuards } from "@nestjs/common";
import type { FastifyReply } from "fastify";
import { AllowQueryKey } from "../auth/roles.js";
import { CurrentPrincipal } from "../auth/principal.decorator.js";
import type { Principal } from "../auth/roles.js";
import { StudioAuthGuard } from "../auth/studio-auth.guard.js";
import { STUDIO_CONFIG, type StudioConfig } from "../config/studio.config.js";
import { parseRequest } from "../http/parse-request.js";
import { StudioErrorFilter } from "../http/studio-error.js";
import { WorkflowQueries } from "../workflows/workflow-queries.js";
import { runsQuery, statsQuery } from "../workflows/workflows.schemas.js";
import type { RunSummary, TimelineEntry } from "./run-stats.repository.js";
import { RunStatsQueries, type WorkflowStats } from "./run-stats.queries.js";
import { StatsNotifier } from "./stats-notifier.js";

const HEARTBEAT_MS = 15_000;
/** Coalesces bursts of run events into at most one stream update per this many ms. */
const COALESCE_MS = 150;

/** Runs, run timelines and live per-node statistics of a workflow. */
@Controller("api/workflows/:workflowId")
@UseGuards(StudioAuthGuard)
@UseFilters(StudioErrorFilter)
export class RunsController {
  constructor(
    private readonly workflows: WorkflowQueries,
    private readonly queries: RunStatsQueries,
    private readonly notifier: StatsNotifier,
    @Inject(STUDIO_CONFIG) private readonly config: StudioConfig,
  ) {}

  @Get("runs")
  async runs(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Query() query: unknown,
  ): Promise<{ runs: RunSummary[] }> {
    const { limit, status } = parseRequest(runsQuery, query, "query");
    await this.workflows.require(principal.workspaceId, workflowId);
    return { runs: await this.queries.runs(principal.workspaceId, workflowId, limit, status) };
  }

  @Get("runs/:runId")
  run(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Param("runId") runId: string,
  ): Promise<RunSummary & { timeline: TimelineEntry[] }> {
    return this.queries.run(principal.workspaceId, workflowId, runId);
  }

  /** Per-node counts (entered, completed, failed, waiting) and runs by status; `?version=` for one version. */
  @Get("stats")
  async stats(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Query() query: unknown,
  ): Promise<WorkflowStats> {
    const { version } = parseRequest(statsQuery, query, "query");
    await this.workflows.require(principal.workspaceId, workflowId);
    return this.queries.stats(principal.workspaceId, workflowId, version);
  }

  /**
   * The same statistics as server-sent events (`event: stats`), sent at once and after every change.
   * EventSource cannot set headers, so this route also takes the key as `?access_token=<key>`.
   */
  @Get("stats/stream")
  @AllowQueryKey()
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Query() query: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { version } = parseRequest(statsQuery, query, "query");
    const { workspaceId } = principal;
    await this.workflows.require(workspaceId, workflowId);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    let closed = false;
    let last = "";
    let pending: NodeJS.Timeout | undefined;
    const send = async (): Promise<void> => {
      pending = undefined;
      if (closed) return;
      try {
        const stats = JSON.stringify(await this.queries.stats(workspaceId, workflowId, version));
        if (closed || stats === last) return;
        last = stats;
        raw.write(`event: stats\ndata: ${stats}\n\n`);
      } catch {
        // database briefly unavailable: the next change or poll retries
      }
    };
    const schedule = (): void => {
      pending ??= setTimeout(() => void send(), COALESCE_MS);
    };
    raw.write(`retry: 2000\n\n`);
    await send();
    const unwatch = this.notifier.watch(workspaceId, workflowId, schedule);
    const poll = setInterval(schedule, this.config.STUDIO_STATS_POLL);
    const heartbeat = setInterval(() => raw.write(`: heartbeat\n\n`), HEARTBEAT_MS);
    const unshutdown = this.notifier.onShutdown(() => raw.end());
    raw.on("close", () => {
      closed = true;
      unwatch();
      unshutdown();
      clearInterval(poll);
      clearInterval(heartbeat);
      if (pending) clearTimeout(pending);
    });
  }
}
