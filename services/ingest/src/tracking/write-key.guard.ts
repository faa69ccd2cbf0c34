import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { timingSafeEqual } from "node:crypto";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";

/** The workspace a request was authenticated for, set on the request by WriteKeyGuard. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  workspaceId?: string;
}

/**
 * Segment-style authentication: HTTP Basic with the write key as user name and an empty password,
 * or `writeKey` in the JSON body. Until the sources issue lands, the only write key is the default
 * workspace's (CASCADE_WRITE_KEY).
 */
@Injectable()
export class WriteKeyGuard implements CanActivate {
  constructor(@Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = writeKeyOf(request);
    if (key === undefined) throw new UnauthorizedException("missing write key: use HTTP Basic auth with the write key as user name");
    if (!sameSecret(key, this.workspace.writeKey)) throw new UnauthorizedException("unknown write key");
    request.workspaceId = this.workspace.id;
    return true;
  }
}

function writeKeyOf(request: AuthenticatedRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === "string" && header.startsWith("Basic ")) {
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const user = decoded.split(":")[0];
    if (user) return user;
  }
  const body = request.body;
  if (body && typeof body === "object" && "writeKey" in body && typeof body.writeKey === "string") return body.writeKey;
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
