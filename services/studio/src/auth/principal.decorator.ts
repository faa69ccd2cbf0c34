import { createParamDecorator, type ExecutionContext } from "@nestjs/common";
import type { StudioRequest } from "./studio-auth.guard.js";
import type { Principal } from "./roles.js";

/** The caller resolved by StudioAuthGuard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<StudioRequest>().principal;
  if (!principal) throw new Error("CurrentPrincipal used on a route without StudioAuthGuard");
  return principal;
});
