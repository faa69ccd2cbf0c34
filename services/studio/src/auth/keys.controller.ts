import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseFilters, UseGuards } from "@nestjs/common";
import { randomBytes } from "node:crypto";
import { DataSource } from "typeorm";
import { z } from "zod";
import { parseRequest } from "../http/parse-request.js";
import { StudioError, StudioErrorFilter } from "../http/studio-error.js";
import { ApiKeysRepository, generateStudioKey, hashKey, type StoredApiKey } from "./api-keys.repository.js";
import { CurrentPrincipal } from "./principal.decorator.js";
import { RequireRole, ROLES, type Principal } from "./roles.js";
import { StudioAuthGuard } from "./studio-auth.guard.js";

const createKeyBody = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(", ")}` }),
  /** Only the installation key (CASCADE_ADMIN_KEY) may create a key for another workspace. */
  workspaceId: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, '_' or '-'")
    .optional(),
});

/** Studio API keys with roles (viewer, editor, publisher), managed by publishers of the workspace. */
@Controller("api/keys")
@UseGuards(StudioAuthGuard)
@UseFilters(StudioErrorFilter)
@RequireRole("publisher")
export class KeysController {
  private readonly keys = new ApiKeysRepository();

  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal): Promise<{ keys: StoredApiKey[] }> {
    return { keys: await this.keys.list(this.dataSource.manager, principal.workspaceId) };
  }

  /** Creates a key; the secret is in the answer once and never again. */
  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<StoredApiKey & { key: string }> {
    const request = parseRequest(createKeyBody, body);
    const workspaceId = request.workspaceId ?? principal.workspaceId;
    if (workspaceId !== principal.workspaceId && !principal.installation) {
      throw new StudioError(
        "FORBIDDEN_WORKSPACE",
        `this key manages workspace ${principal.workspaceId} only, not ${workspaceId}`,
      );
    }
    const key = generateStudioKey();
    const stored: Omit<StoredApiKey, "revokedAt"> = {
      keyId: `key_${randomBytes(9).toString("base64url")}`,
      workspaceId,
      name: request.name,
      role: request.role,
      prefix: `${key.slice(0, 9)}…`,
      createdBy: principal.name,
      createdAt: new Date().toISOString(),
    };
    await this.keys.insert(this.dataSource.manager, stored, hashKey(key));
    return { ...stored, revokedAt: null, key };
  }

  @Delete(":keyId")
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param("keyId") keyId: string): Promise<void> {
    const revoked = await this.keys.revoke(this.dataSource.manager, principal.workspaceId, keyId, new Date());
    if (!revoked)
      throw new StudioError("KEY_NOT_FOUND", `no active key ${keyId} in workspace ${principal.workspaceId}`);
  }
}
