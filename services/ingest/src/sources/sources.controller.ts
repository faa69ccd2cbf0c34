import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseFilters, UseGuards } from "@nestjs/common";
import { IngestErrorFilter } from "../http/ingest-error.filter.js";
import { jsonObjectBody, validate } from "../http/validation.js";
import { AdminAuthGuard } from "./admin-auth.guard.js";
import type { AdminKey } from "./admin-keys.repository.js";
import { createAdminKeyBody, createSourceBody, workspaceIdParam } from "./admin.schemas.js";
import {
  ManageAdminKeysUseCase,
  ManageSourcesUseCase,
  type AdminKeyView,
  type SourceView,
} from "./sources.use-cases.js";

/** Admin API for sources (write keys) and admin keys of a workspace; Bearer admin key. */
@Controller("api/ingest/workspaces/:workspaceId")
@UseGuards(AdminAuthGuard)
@UseFilters(IngestErrorFilter)
export class SourcesController {
  constructor(
    private readonly sources: ManageSourcesUseCase,
    private readonly adminKeys: ManageAdminKeysUseCase,
  ) {}

  @Post("sources")
  async createSource(@Param("workspaceId") workspaceId: string, @Body() body: unknown): Promise<SourceView> {
    const input = validate(createSourceBody, jsonObjectBody(body));
    return this.sources.create(
      validate(workspaceIdParam, workspaceId, "workspaceId"),
      input.name,
      input.rateLimitPerSecond ?? null,
    );
  }

  @Get("sources")
  async listSources(@Param("workspaceId") workspaceId: string): Promise<{ sources: SourceView[] }> {
    return { sources: await this.sources.list(validate(workspaceIdParam, workspaceId, "workspaceId")) };
  }

  @Post("sources/:sourceId/rotate-key")
  @HttpCode(200)
  rotate(@Param("workspaceId") workspaceId: string, @Param("sourceId") sourceId: string): Promise<SourceView> {
    return this.sources.rotate(workspaceId, sourceId);
  }

  @Delete("sources/:sourceId")
  @HttpCode(204)
  async revokeSource(@Param("workspaceId") workspaceId: string, @Param("sourceId") sourceId: string): Promise<void> {
    await this.sources.revoke(workspaceId, sourceId);
  }

  @Post("admin-keys")
  createAdminKey(@Param("workspaceId") workspaceId: string, @Body() body: unknown): Promise<AdminKeyView> {
    const input = validate(createAdminKeyBody, jsonObjectBody(body));
    return this.adminKeys.create(validate(workspaceIdParam, workspaceId, "workspaceId"), input.name);
  }

  @Get("admin-keys")
  async listAdminKeys(@Param("workspaceId") workspaceId: string): Promise<{ adminKeys: AdminKey[] }> {
    return { adminKeys: await this.adminKeys.list(workspaceId) };
  }

  @Delete("admin-keys/:keyId")
  @HttpCode(204)
  async revokeAdminKey(@Param("workspaceId") workspaceId: string, @Param("keyId") keyId: string): Promise<void> {
    await this.adminKeys.revoke(workspaceId, keyId);
  }
}
