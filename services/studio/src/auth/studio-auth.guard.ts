import { Inject, Injectable, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { StudioError } from "../http/studio-error.js";
import { ApiKeysRepository, hashKey, sameSecret } from "./api-keys.repository.js";
import { QUERY_KEY_ALLOWED, REQUIRED_ROLE, roleAllows, type Principal, type Role } from "./roles.js";

export interface StudioRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  ip?: string;
  principal?: Principal;
}

/**
 * Authenticates every studio route: `Authorization: Bearer <key>`, where the key is the default workspace's
 * admin key (a publisher of that workspace) or a key from studio.api_keys (its own workspace and role).
 * Routes marked @AllowQueryKey (SSE) also take `?access_token=<key>`. The route's @RequireRole decides 403.
 */
@Injectable()
export class StudioAuthGuard implements CanActivate {
  private readonly keys = new ApiKeysRepository();

  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<StudioRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const needed = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets) ?? "viewer";
    const queryAllowed = this.reflector.getAllAndOverride<boolean | undefined>(QUERY_KEY_ALLOWED, targets) ?? false;
    const key = bearerOf(request.headers.authorization) ?? (queryAllowed ? queryKeyOf(request.query) : undefined);
    if (!key) {
      throw new StudioError(
        "MISSING_CREDENTIALS",
        queryAllowed
          ? "API key required: Authorization: Bearer <key> or ?access_token=<key>"
          : "API key required: Authorization: Bearer <key>",
      );
    }
    const principal = await this.resolve(key);
    if (!roleAllows(principal.role, needed)) {
      throw new StudioError("FORBIDDEN_ROLE", `this key has the role ${principal.role}; the operation needs ${needed}`);
    }
    request.principal = principal;
    return true;
  }

  private async resolve(key: string): Promise<Principal> {
    if (sameSecret(key, this.workspace.adminKey)) {
      return {
        workspaceId: this.workspace.id,
        role: "publisher",
        keyId: "default-admin",
        name: "admin",
        installation: true,
      };
    }
    const stored = await this.keys.findActiveByHash(this.dataSource.manager, hashKey(key));
    if (!stored) throw new StudioError("UNKNOWN_KEY", "unknown or revoked API key");
    return {
      workspaceId: stored.workspaceId,
      role: stored.role,
      keyId: stored.keyId,
      name: stored.name,
      installation: false,
    };
  }
}

function bearerOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== "string" || !/^bearer /i.test(header)) return undefined;
  const key = header.slice(7).trim();
  return key === "" ? undefined : key;
}

function queryKeyOf(query: Record<string, unknown> | undefined): string | undefined {
  const value = query?.["access_token"];
  return typeof value === "string" && value !== "" ? value : undefined;
}
