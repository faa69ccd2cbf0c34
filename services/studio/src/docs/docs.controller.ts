import { Controller, Get, UseFilters, UseGuards } from "@nestjs/common";
import { StudioAuthGuard } from "../auth/studio-auth.guard.js";
import { StudioErrorFilter } from "../http/studio-error.js";
import { studioOpenApi } from "./openapi.js";

/** The OpenAPI document of the studio API (any valid key). */
@Controller("api/docs")
@UseGuards(StudioAuthGuard)
@UseFilters(StudioErrorFilter)
export class DocsController {
  private readonly document = studioOpenApi();

  @Get()
  docs(): Record<string, unknown> {
    return this.document;
  }
}
