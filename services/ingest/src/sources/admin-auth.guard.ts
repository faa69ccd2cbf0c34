import { Inject, Injectable, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { IngestError } from "../http/ingest-error.js";
import { hashKey, sameSecret } from "./api-keys.js";
import { AdminKeysRepository } from "./admin-keys.repository.js";

interface AdminRequest {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
}

/**
 * Admin API authentication: `Authorization: Bearer <admin key>`. The default workspace's admin key
 * (CASCADE_ADMIN_KEY) is the installation's key and may manage every workspace; a key from ingest.admin_keys
 * manages only its own workspace (403 for another). The workspace is the route's `:workspaceId`.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    private readonly adminKeys: AdminKeysRepository,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const header = request.headers.authorization;
    const key = typeof header === "string" && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
    if (!key) throw new IngestError("missing_credentials", "admin key required: Authorization: Bearer <admin key>");
    if (sameSecret(key, this.workspace.adminKey)) return true;
    const stored = await this.adminKeys.findActiveByHash(hashKey(key));
    if (!stored) throw new IngestError("unknown_admin_key", "unknown admin key");
    const workspaceId = request.params?.workspaceId;
    if (workspaceId !== undefined && workspaceId !== stored.workspaceId) {
      throw new IngestError(
        "forbidden_workspace",
        `this admin key belongs to workspace ${stored.workspaceId}, not ${workspaceId}`,
      );
    }
    return true;
  }
}
