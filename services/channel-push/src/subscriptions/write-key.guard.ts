import {
  BadRequestException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from "@nestjs/common";
import { timingSafeEqual } from "node:crypto";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";

export interface WriteKeyRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  workspaceId?: string;
}

/**
 * Browsers call the subscription API with the site's write key, the way they call ingest's tracking API: as
 * HTTP Basic user name (empty password), or as `writeKey` in a JSON body, which may be sent as text/plain so
 * that the request is a CORS simple request (no preflight). The key must be the default workspace's write key
 * (CASCADE_WRITE_KEY): the keys of further sources live in ingest's schema, which this service does not read.
 * (The same rule as ingest's guard; services do not share code.)
 */
@Injectable()
export class PushWriteKeyGuard implements CanActivate {
  constructor(@Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<WriteKeyRequest>();
    const key = basicAuthUser(request.headers.authorization) ?? writeKeyInBody(request);
    if (!key)
      throw new UnauthorizedException(
        "missing write key: use HTTP Basic auth with the write key as user name, or writeKey in the body",
      );
    const given = Buffer.from(key);
    const expected = Buffer.from(this.workspace.writeKey);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new UnauthorizedException("unknown write key");
    request.workspaceId = this.workspace.id;
    return true;
  }
}

function basicAuthUser(header: string | string[] | undefined): string | undefined {
  if (typeof header !== "string" || !/^basic /i.test(header)) return undefined;
  const user = Buffer.from(header.slice(6).trim(), "base64").toString("utf8").split(":")[0];
  return user ? user : undefined;
}

/** Also turns a text/plain JSON body into an object, once, for the controller. */
function writeKeyInBody(request: WriteKeyRequest): string | undefined {
  if (typeof request.body === "string") {
    try {
      request.body = JSON.parse(request.body) as unknown;
    } catch {
      throw new BadRequestException("body: must be JSON (sent as application/json or text/plain)");
    }
  }
  const body = request.body;
  if (body && typeof body === "object" && "writeKey" in body && typeof body.writeKey === "string" && body.writeKey)
    return body.writeKey;
  return undefined;
}
