import { Body, Controller, HttpCode, Post, Req, UseFilters, UseGuards } from "@nestjs/common";
import { IngestErrorFilter } from "../http/ingest-error.filter.js";
import { jsonObjectBody } from "../http/validation.js";
import { AcceptEventsUseCase } from "../intake/accept-events.use-case.js";
import type { ResolvedSource } from "../sources/write-key-resolver.js";
import { eventFromCall, eventsFromBatch } from "./segment-message.js";
import { MESSAGE_TYPES, type MessageType } from "./tracking.schemas.js";
import { WriteKeyGuard, type AuthenticatedRequest } from "./write-key.guard.js";

/**
 * The Segment HTTP Tracking API. Each call answers 200 `{ success: true }` only once its events are on events.v1
 * (acknowledged by the bus); a duplicate messageId is answered the same way and not published again.
 */
@Controller("v1")
@UseGuards(WriteKeyGuard)
@UseFilters(IngestErrorFilter)
export class TrackingController {
  constructor(private readonly acceptEvents: AcceptEventsUseCase) {}

  @Post(["batch", "import"])
  @HttpCode(200)
  async batch(@Req() request: AuthenticatedRequest, @Body() body: unknown): Promise<{ success: true }> {
    await this.acceptEvents.execute(eventsFromBatch(jsonObjectBody(body), sourceOf(request), new Date()));
    return { success: true };
  }

  @Post(MESSAGE_TYPES)
  @HttpCode(200)
  async call(
    @Req() request: AuthenticatedRequest & { url: string },
    @Body() body: unknown,
  ): Promise<{ success: true }> {
    const type = /^\/v1\/([a-z]+)/.exec(request.url)?.[1] as MessageType;
    await this.acceptEvents.execute([eventFromCall(type, jsonObjectBody(body), sourceOf(request), new Date())]);
    return { success: true };
  }
}

function sourceOf(request: AuthenticatedRequest): ResolvedSource {
  if (!request.source) throw new Error("WriteKeyGuard did not run");
  return request.source;
}
