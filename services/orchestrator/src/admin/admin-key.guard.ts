import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { timingSafeEqual } from "node:crypto";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";

/** `Authorization: Bearer <admin key>` of the default workspace. */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(@Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const header = request.headers.authorization;
    if (typeof header !== "string" || !header.startsWith("Bearer "))
      throw new UnauthorizedException("admin key required (Authorization: Bearer <key>)");
    const given = Buffer.from(header.slice("Bearer ".length));
    const expected = Buffer.from(this.workspace.adminKey);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new UnauthorizedException("unknown admin key");
    return true;
  }
}
