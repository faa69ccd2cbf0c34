import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseFilters, UseGuards } from "@nestjs/common";
import { z } from "zod";
import { IngestError } from "../http/ingest-error.js";
import { IngestErrorFilter } from "../http/ingest-error.filter.js";
import type { RequestWithRawBody } from "../http/ingest-http.setup.js";
import { jsonObjectBody, validate } from "../http/validation.js";
import { generateKey, newId } from "../sources/api-keys.js";
import { AdminAuthGuard } from "../sources/admin-auth.guard.js";
import { workspaceIdParam } from "../sources/admin.schemas.js";
import { HooksRepository, type Hook } from "./hooks.repository.js";
import { ReceiveWebhookUseCase } from "./receive-webhook.use-case.js";

const createHookBody = z.object({
  name: z.string().trim().min(1).max(200),
  contactField: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "must be a dotted path such as customer.email")
    .optional(),
});

/** POST /v1/hooks/:hookId: signed webhook triggers. */
@Controller("v1/hooks")
@UseFilters(IngestErrorFilter)
export class HooksController {
  constructor(private readonly receiveWebhook: ReceiveWebhookUseCase) {}

  @Post(":hookId")
  @HttpCode(200)
  async receive(
    @Param("hookId") hookId: string,
    @Req() request: RequestWithRawBody & { headers: Record<string, string | string[] | undefined> },
    @Body() body: unknown,
  ): Promise<{ success: true; duplicate: boolean }> {
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return typeof value === "string" ? value : undefined;
    };
    const result = await this.receiveWebhook.execute({
      hookId,
      rawBody: request.rawBody ?? Buffer.alloc(0),
      body: Buffer.isBuffer(body) ? body.toString("utf8") : body,
      contentType: header("content-type"),
      signatureHeader: request.headers["x-cascade-signature"],
      deliveryId: header("idempotency-key") ?? header("x-cascade-delivery"),
    });
    return { success: true, duplicate: result.duplicate };
  }
}

/** Admin API for webhook triggers; the secret is shown once, at creation. */
@Controller("api/ingest/workspaces/:workspaceId/hooks")
@UseGuards(AdminAuthGuard)
@UseFilters(IngestErrorFilter)
export class HooksAdminController {
  constructor(private readonly hooks: HooksRepository) {}

  @Post()
  async create(
    @Param("workspaceId") workspaceId: string,
    @Body() body: unknown,
  ): Promise<Hook & { secret: string; path: string }> {
    const input = validate(createHookBody, jsonObjectBody(body));
    const hook = await this.hooks.insert({
      id: newId("hook"),
      workspaceId: validate(workspaceIdParam, workspaceId, "workspaceId"),
      name: input.name,
      secret: generateKey("whsec"),
      contactField: input.contactField ?? null,
    });
    return { ...hook, path: `/v1/hooks/${hook.id}` };
  }

  @Get()
  async list(@Param("workspaceId") workspaceId: string): Promise<{ hooks: Hook[] }> {
    return { hooks: await this.hooks.listActive(workspaceId) };
  }

  @Delete(":hookId")
  @HttpCode(204)
  async remove(@Param("workspaceId") workspaceId: string, @Param("hookId") hookId: string): Promise<void> {
    if (!(await this.hooks.delete(workspaceId, hookId)))
      throw new IngestError("not_found", `no webhook ${hookId} in workspace ${workspaceId}`);
  }
}
