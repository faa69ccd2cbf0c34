import { Injectable } from "@nestjs/common";
import { SystemEvents } from "@cascade/contracts";
import { verifyTrackingToken, TrackingTokenError, type ClickToken, type TrackingToken } from "@cascade/tracking";
import { IngestConfig } from "../config/ingest.config.js";
import { IngestError } from "../http/ingest-error.js";
import { AcceptEventsUseCase } from "../intake/accept-events.use-case.js";
import { systemEvent } from "../intake/system-event.js";
import { redirectTarget } from "./click-redirect.js";
import { EmailEngagementRepository } from "./email-engagement.repository.js";
import { detectReader } from "./user-agent.js";

export interface EngagementRequest {
  token: string;
  userAgent: string | undefined;
  ip: string | undefined;
}

/**
 * Email opens (pixel) and clicks (redirect): verifies the signed token (libs/tracking), counts the open or click
 * of the send, and records email_opened / email_clicked with the reader's device and client.
 */
@Injectable()
export class RecordEngagementUseCase {
  constructor(
    private readonly config: IngestConfig,
    private readonly engagement: EmailEngagementRepository,
    private readonly acceptEvents: AcceptEventsUseCase,
  ) {}

  /** Verifies a token of the expected kind; IngestError `invalid_request` naming `token` otherwise. */
  verify<K extends TrackingToken["t"]>(raw: string, kind: K): Extract<TrackingToken, { t: K }> {
    let token: TrackingToken;
    try {
      token = verifyTrackingToken(raw, this.config.trackingSecret);
    } catch (error) {
      const reason = error instanceof TrackingTokenError ? error.message : "malformed tracking token";
      throw IngestError.invalid([{ field: "token", message: reason }]);
    }
    if (token.t !== kind)
      throw IngestError.invalid([{ field: "token", message: `is a ${token.t} token, not a ${kind} token` }]);
    return token as Extract<TrackingToken, { t: K }>;
  }

  async recordOpen(request: EngagementRequest): Promise<void> {
    const token = this.verify(request.token, "open");
    const now = new Date();
    const opens = await this.engagement.count(token.w, token.k, "open", now);
    await this.record(token, request, SystemEvents.EmailOpened, { open_count: opens, first_open: opens === 1 });
  }

  /** Records the click and returns where to redirect. */
  async recordClick(request: EngagementRequest): Promise<string> {
    const token: ClickToken = this.verify(request.token, "click");
    const target = redirectTarget(token.u, token.utm);
    const clicks = await this.engagement.count(token.w, token.k, "click", new Date());
    await this.record(token, request, SystemEvents.EmailClicked, {
      url: token.u,
      redirect_url: target,
      click_count: clicks,
    });
    return target;
  }

  /** The redirect target of a valid click token without recording anything (used when recording fails). */
  targetOf(rawToken: string): string {
    const token = this.verify(rawToken, "click");
    return redirectTarget(token.u, token.utm);
  }

  private async record(
    token: TrackingToken,
    request: EngagementRequest,
    event: typeof SystemEvents.EmailOpened | typeof SystemEvents.EmailClicked,
    counts: Record<string, unknown>,
  ): Promise<void> {
    const reader = detectReader(request.userAgent);
    await this.acceptEvents.execute([
      systemEvent({
        workspaceId: token.w,
        sourceId: "email-tracking",
        event,
        contactId: token.c,
        properties: {
          ...counts,
          idempotency_key: token.k,
          run_id: token.r,
          node_id: token.n,
          workflow_id: token.f,
          variant_id: token.v,
          device_type: reader.deviceType,
          os: reader.os,
          browser: reader.browser,
          email_client: reader.emailClient,
          via_proxy: reader.viaProxy,
        },
        context: { userAgent: request.userAgent ?? "", ...(request.ip ? { ip: request.ip } : {}) },
      }),
    ]);
  }
}
