import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { timingSafeEqual } from "node:crypto";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";

/** `Authorization: Bearer <admin key>` of the default workspace. */
@Injectable()
export class SocialAdminKeyGuard implements CanActivate {
  constructor(@Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace) {}

  canActivate(context: ExecutionContext): boolean {
    const header =
      context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers.authorization ?? "";
    const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
    const expected = Buffer.from(this.workspace.adminKey);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new UnauthorizedException("admin key required (Authorization: Bearer <key>)");
    return true;
  }
}
