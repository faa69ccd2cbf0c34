import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { timingSafeEqual } from "node:crypto";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";

export interface WriteKeyRequest {
  headers: Record<string, string | string[] | undefined>;
  workspaceId?: string;
}

/**
 * Browsers call the subscription API with the site's write key as HTTP Basic user name (empty password),
 * like the tracking API. (The same rule as ingest's guard; services do not share code.)
 */
@Injectable()
export class PushWriteKeyGuard implements CanActivate {
  constructor(@Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<WriteKeyRequest>();
    const header = request.headers.authorization;
    const user =
      typeof header === "string" && header.startsWith("Basic ")
        ? Buffer.from(header.slice(6), "base64").toString("utf8").split(":")[0]
        : undefined;
    if (!user)
      throw new UnauthorizedException("missing write key: use HTTP Basic auth with the write key as user name");
    const given = Buffer.from(user);
    const expected = Buffer.from(this.workspace.writeKey);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new UnauthorizedException("unknown write key");
    request.workspaceId = this.workspace.id;
    return true;
  }
}
