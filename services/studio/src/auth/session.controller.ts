import { Controller, Get, Inject, Req, UseFilters, UseGuards } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { STUDIO_CONFIG, type StudioConfig } from "../config/studio.config.js";
import { StudioError, StudioErrorFilter } from "../http/studio-error.js";
import { CurrentPrincipal } from "./principal.decorator.js";
import type { Principal, Role } from "./roles.js";
import { StudioAuthGuard, type StudioRequest } from "./studio-auth.guard.js";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const PROXY_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"];

/** Who the caller is, and the local sign-in of the builder. */
@Controller("api/session")
@UseFilters(StudioErrorFilter)
export class SessionController {
  constructor(
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
    @Inject(STUDIO_CONFIG) private readonly config: StudioConfig,
  ) {}

  @Get()
  @UseGuards(StudioAuthGuard)
  whoAmI(@CurrentPrincipal() principal: Principal): { workspaceId: string; role: Role; name: string; keyId: string } {
    return { workspaceId: principal.workspaceId, role: principal.role, name: principal.name, keyId: principal.keyId };
  }

  /**
   * The default workspace's admin key, for a browser on this very machine (loopback address, no proxy
   * headers), so `npm start` → http://localhost:3000 works without reading logs. Off with STUDIO_LOCAL_LOGIN=false.
   */
  @Get("local")
  local(@Req() request: StudioRequest): { key: string; workspaceId: string } {
    if (!this.config.STUDIO_LOCAL_LOGIN) {
      throw new StudioError(
        "LOCAL_LOGIN_DISABLED",
        "local sign-in is disabled (STUDIO_LOCAL_LOGIN=false): paste an API key",
      );
    }
    const proxied = PROXY_HEADERS.some((name) => request.headers[name] !== undefined);
    if (proxied || !LOOPBACK.has(request.ip ?? "")) {
      throw new StudioError(
        "LOCAL_LOGIN_DISABLED",
        "local sign-in only answers requests from this machine: paste an API key",
      );
    }
    return { key: this.workspace.adminKey, workspaceId: this.workspace.id };
  }
}
