import { BadRequestException, Body, Controller, HttpCode, Post, Req, UseGuards } from "@nestjs/common";
import { EventType } from "@cascade/contracts";
import type { z } from "zod";
import { identifyBody, pageBody, trackBody } from "./tracking.schemas.js";
import { RecordEventUseCase } from "./use-cases/record-event.use-case.js";
import { WriteKeyGuard, type AuthenticatedRequest } from "./write-key.guard.js";

/** Segment-compatible tracking endpoints. Each answers 200 `{ success: true }` once the event is on events.v1. */
@Controller("v1")
@UseGuards(WriteKeyGuard)
export class TrackingController {
  constructor(private readonly recordEvent: RecordEventUseCase) {}

  @Post("track")
  @HttpCode(200)
  async track(@Req() request: AuthenticatedRequest, @Body() body: unknown): Promise<{ success: true }> {
    const message = parse(trackBody, body);
    await this.recordEvent.execute({ ...message, workspaceId: workspaceOf(request), type: EventType.TRACK, receivedAt: new Date() });
    return { success: true };
  }

  @Post("identify")
  @HttpCode(200)
  async identify(@Req() request: AuthenticatedRequest, @Body() body: unknown): Promise<{ success: true }> {
    const message = parse(identifyBody, body);
    await this.recordEvent.execute({ ...message, workspaceId: workspaceOf(request), type: EventType.IDENTIFY, receivedAt: new Date() });
    return { success: true };
  }

  @Post("page")
  @HttpCode(200)
  async page(@Req() request: AuthenticatedRequest, @Body() body: unknown): Promise<{ success: true }> {
    const message = parse(pageBody, body);
    await this.recordEvent.execute({ ...message, workspaceId: workspaceOf(request), type: EventType.PAGE, receivedAt: new Date() });
    return { success: true };
  }
}

/** Validates a body; a 400 names every invalid field and why. */
function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new BadRequestException({
      statusCode: 400,
      error: "Bad Request",
      message: result.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "),
      issues: result.error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message })),
    });
  }
  return result.data;
}

function workspaceOf(request: AuthenticatedRequest): string {
  if (!request.workspaceId) throw new Error("WriteKeyGuard did not run");
  return request.workspaceId;
}
