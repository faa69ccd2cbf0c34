import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  Inject,
  Param,
  Post,
  UseFilters,
  UseGuards,
} from "@nestjs/common";
import type { JsonObject } from "@cascade/contracts";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { AdminKeyGuard } from "./admin-key.guard.js";
import { manualStartBodySchema } from "./manual-start.schemas.js";
import { TriggersErrorFilter } from "./triggers-error.js";
import { StartManuallyUseCase, type StartManuallyResult } from "./use-cases/start-manually.use-case.js";

/** The studio's manual start: POST /api/workflows/:workflowId/start with `{ contactId }` or `{ filter }`. */
@Controller("api/workflows")
@UseGuards(AdminKeyGuard)
@UseFilters(TriggersErrorFilter)
export class ManualStartController {
  constructor(
    private readonly startManually: StartManuallyUseCase,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  @Post(":workflowId/start")
  @HttpCode(202)
  async start(@Param("workflowId") workflowId: string, @Body() body: unknown): Promise<StartManuallyResult> {
    const parsed = manualStartBodySchema.safeParse(body ?? {});
    if (!parsed.success) {
      throw new BadRequestException({
        statusCode: 400,
        error: "Bad Request",
        message:
          "body: give exactly one of contactId (a contact id) or filter (an expression), plus optional payload and requestId",
        issues: parsed.error.issues.map((issue) => ({ field: issue.path.join(".") || "body", message: issue.message })),
      });
    }
    const { payload, requestId } = parsed.data;
    return this.startManually.execute({
      workspaceId: this.workspace.id,
      workflowId,
      audience: "contactId" in parsed.data ? { contactId: parsed.data.contactId } : { filter: parsed.data.filter },
      payload: (payload ?? {}) as JsonObject,
      requestId,
    });
  }
}
