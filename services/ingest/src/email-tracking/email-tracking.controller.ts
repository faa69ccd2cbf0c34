import { Controller, Get, Logger, Req, Res, UseFilters } from "@nestjs/common";
import type { FastifyReply, FastifyRequest } from "fastify";
import { IngestError } from "../http/ingest-error.js";
import { IngestErrorFilter } from "../http/ingest-error.filter.js";
import { RecordEngagementUseCase } from "./record-engagement.use-case.js";

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

/**
 * GET /t/o/:token (open pixel) and GET /t/c/:token (click redirect). A bad token is a 400 naming `token`. When
 * the token is good but the event cannot be recorded (bus down), the reader still gets the pixel or the
 * redirect: the failure is logged, never shown to someone clicking a link.
 */
@Controller("t")
@UseFilters(IngestErrorFilter)
export class EmailTrackingController {
  private readonly log = new Logger("EmailTracking");

  constructor(private readonly engagement: RecordEngagementUseCase) {}

  // Wildcard routes: tokens are longer than Fastify's maxParamLength (100) allows for a `:param`.
  @Get("o/*")
  async open(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = tokenOf(request.url);
    try {
      await this.engagement.recordOpen({ token, userAgent: request.headers["user-agent"], ip: request.ip });
    } catch (error) {
      if (error instanceof IngestError) throw error;
      this.log.error(`could not record an email open: ${String(error)}`);
    }
    await reply
      .status(200)
      .header("content-type", "image/gif")
      .header("cache-control", "no-store, no-cache, must-revalidate, max-age=0")
      .send(PIXEL);
  }

  @Get("c/*")
  async click(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = tokenOf(request.url);
    let target: string;
    try {
      target = await this.engagement.recordClick({ token, userAgent: request.headers["user-agent"], ip: request.ip });
    } catch (error) {
      if (error instanceof IngestError) throw error;
      this.log.error(`could not record an email click: ${String(error)}`);
      target = this.engagement.targetOf(token);
    }
    await reply.status(302).header("location", target).header("cache-control", "no-store").send();
  }
}

/** The token: the path segment after /t/o/ or /t/c/, without a query string. */
function tokenOf(url: string): string {
  const path = url.split("?")[0] ?? "";
  return decodeURIComponent(path.replace(/^\/t\/[oc]\//, ""));
}
