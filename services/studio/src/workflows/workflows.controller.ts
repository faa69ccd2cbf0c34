import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseFilters, UseGuards } from "@nestjs/common";
import type { JsonObject } from "@cascade/contracts";
import { validateDefinition, type DefinitionProblem } from "@cascade/workflow";
import { CurrentPrincipal } from "../auth/principal.decorator.js";
import { RequireRole, type Principal } from "../auth/roles.js";
import { StudioAuthGuard } from "../auth/studio-auth.guard.js";
import { parseRequest } from "../http/parse-request.js";
import { StudioErrorFilter } from "../http/studio-error.js";
import type { DefinitionDiff } from "./definition-diff.js";
import { ArchiveWorkflowUseCase } from "./use-cases/archive-workflow.use-case.js";
import { CreateWorkflowUseCase } from "./use-cases/create-workflow.use-case.js";
import { PublishVersionUseCase } from "./use-cases/publish-version.use-case.js";
import { SaveDraftUseCase } from "./use-cases/save-draft.use-case.js";
import { StartManualRunUseCase } from "./use-cases/start-manual-run.use-case.js";
import { WorkflowQueries, type VersionSummary } from "./workflow-queries.js";
import type { WorkflowView } from "./workflow-view.js";
import type { VersionRecord } from "./workflows.repository.js";
import {
  createWorkflowBody,
  diffQuery,
  manualStartBody,
  publishBody,
  rollbackBody,
  saveDraftBody,
  validateBody,
  versionParam,
} from "./workflows.schemas.js";

/** Workflows of the caller's workspace: drafts, validation, versions, diffs, rollback and manual starts. */
@Controller("api/workflows")
@UseGuards(StudioAuthGuard)
@UseFilters(StudioErrorFilter)
export class WorkflowsController {
  constructor(
    private readonly queries: WorkflowQueries,
    private readonly createWorkflow: CreateWorkflowUseCase,
    private readonly saveDraft: SaveDraftUseCase,
    private readonly publishVersion: PublishVersionUseCase,
    private readonly archiveWorkflow: ArchiveWorkflowUseCase,
    private readonly startManualRun: StartManualRunUseCase,
  ) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ workflows: Array<Omit<WorkflowView, "draft" | "problems">> }> {
    return { workflows: await this.queries.list(principal.workspaceId) };
  }

  @Post()
  @RequireRole("editor")
  create(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<WorkflowView> {
    const request = parseRequest(createWorkflowBody, body);
    return this.createWorkflow.execute({ workspaceId: principal.workspaceId, ...request });
  }

  @Get(":workflowId")
  get(@CurrentPrincipal() principal: Principal, @Param("workflowId") workflowId: string): Promise<WorkflowView> {
    return this.queries.get(principal.workspaceId, workflowId);
  }

  @Put(":workflowId/draft")
  @RequireRole("editor")
  save(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Body() body: unknown,
  ): Promise<WorkflowView> {
    const request = parseRequest(saveDraftBody, body);
    return this.saveDraft.execute({
      workspaceId: principal.workspaceId,
      workflowId,
      definition: request.definition,
      expectedRevision: request.revision,
    });
  }

  /** Validates the given definition, or the stored draft when the body has none. */
  @Post(":workflowId/validate")
  @HttpCode(200)
  async validate(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Body() body: unknown,
  ): Promise<{ ok: boolean; problems: readonly DefinitionProblem[] }> {
    const request = parseRequest(validateBody, body);
    const definition = request.definition ?? (await this.queries.require(principal.workspaceId, workflowId)).draft;
    const result = validateDefinition({ ...definition, id: workflowId });
    return { ok: result.ok, problems: result.problems };
  }

  @Post(":workflowId/publish")
  @RequireRole("publisher")
  publish(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Body() body: unknown,
  ): Promise<VersionRecord> {
    const request = parseRequest(publishBody, body);
    return this.publishVersion.execute({
      workspaceId: principal.workspaceId,
      workflowId,
      publishedBy: principal.name,
      note: request.note,
    });
  }

  /** Publishes an older version's definition as a new version (and makes it the draft). */
  @Post(":workflowId/rollback")
  @RequireRole("publisher")
  rollback(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Body() body: unknown,
  ): Promise<VersionRecord> {
    const request = parseRequest(rollbackBody, body);
    return this.publishVersion.execute({
      workspaceId: principal.workspaceId,
      workflowId,
      publishedBy: principal.name,
      note: request.note,
      restoreFrom: request.version,
    });
  }

  @Post(":workflowId/archive")
  @RequireRole("publisher")
  @HttpCode(204)
  archive(@CurrentPrincipal() principal: Principal, @Param("workflowId") workflowId: string): Promise<void> {
    return this.archiveWorkflow.execute({ workspaceId: principal.workspaceId, workflowId, archivedBy: principal.name });
  }

  @Get(":workflowId/versions")
  async versions(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
  ): Promise<{ versions: VersionSummary[] }> {
    return { versions: await this.queries.versions(principal.workspaceId, workflowId) };
  }

  @Get(":workflowId/versions/:version")
  version(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Param("version") version: string,
  ): Promise<VersionRecord> {
    return this.queries.version(principal.workspaceId, workflowId, parseRequest(versionParam, version, "version"));
  }

  /** `?from=1&to=2`; either may be `draft` (to defaults to the draft). */
  @Get(":workflowId/diff")
  diff(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Query() query: unknown,
  ): Promise<DefinitionDiff> {
    const { from, to } = parseRequest(diffQuery, query, "query");
    return this.queries.diff(principal.workspaceId, workflowId, from, to);
  }

  /**
   * Starts runs by hand for `contactIds` or every contact matching `filter`: a ManualStart command on
   * workflow.commands.v1, expanded into runs by the orchestrator. 202: runs appear in the runs list.
   */
  @Post(":workflowId/runs")
  @RequireRole("publisher")
  @HttpCode(202)
  start(
    @CurrentPrincipal() principal: Principal,
    @Param("workflowId") workflowId: string,
    @Body() body: unknown,
  ): Promise<{ commandId: string; version: number }> {
    const request = parseRequest(manualStartBody, body);
    return this.startManualRun.execute({
      workspaceId: principal.workspaceId,
      workflowId,
      requestedBy: principal.name,
      audience: request.filter !== undefined ? { filter: request.filter } : { contactIds: request.contactIds ?? [] },
      version: request.version,
      payload: request.payload as JsonObject | undefined,
    });
  }
}
