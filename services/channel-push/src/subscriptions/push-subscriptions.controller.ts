import {
  BadRequestException,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Post,
  Query,
  Req,
  Res,
  ServiceUnavailableException,
  UseGuards,
} from "@nestjs/common";
import { TrackingTokenError, verifyTrackingToken } from "@cascade/tracking";
import { OutboxRelays } from "@cascade/runtime";
import type { Clock } from "@cascade/compliance";
import { DataSource } from "typeorm";
import { z } from "zod";
import { PUSH_CLOCK, PUSH_CONFIG, PUSH_SCHEMA, type PushConfig } from "../push.config.js";
import { PushEngagementRepository } from "../engagement/push-engagement.repository.js";
import { RecordPushEngagementUseCase } from "../engagement/use-cases/record-push-engagement.use-case.js";
import { PushSubscriptionRepository } from "./push-subscription.repository.js";
import { PushWriteKeyGuard, type WriteKeyRequest } from "./write-key.guard.js";

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, "must be base64url");
const subscribeBody = z
  .object({
    contactId: z.string().min(1).max(256),
    deviceId: z.string().min(1).max(256).default("default"),
    /** The browser's PushSubscription.toJSON(). */
    subscription: z
      .object({ endpoint: z.url().max(2048), keys: z.object({ p256dh: base64url.max(200), auth: base64url.max(64) }) })
      .optional(),
    /** A Firebase Cloud Messaging registration token (Android, iOS, or FCM for web). */
    fcmToken: z.string().min(1).max(4096).optional(),
    /** Frequency preference: non-transactional pushes per day. */
    maxPerDay: z.number().int().min(0).max(100).optional(),
  })
  .refine((body) => (body.subscription === undefined) !== (body.fcmToken === undefined), {
    message: "give exactly one of subscription or fcmToken",
    path: ["subscription"],
  });
const unsubscribeBody = z.union([
  z.object({ endpoint: z.string().min(1) }),
  z.object({ fcmToken: z.string().min(1) }),
  z.object({ contactId: z.string().min(1), deviceId: z.string().min(1) }),
]);

interface RedirectReply {
  redirect(url: string, code?: number): unknown;
}

/**
 * The server side of web push for the browser SDK: VAPID public key, subscriptions (write key; CORS in
 * push-http.setup.ts), click tracking.
 */
@Controller("api/push")
export class PushSubscriptionsController {
  private readonly subscriptions = new PushSubscriptionRepository();
  private readonly engagements = new PushEngagementRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly recordEngagement: RecordPushEngagementUseCase,
    @Inject(PUSH_CONFIG) private readonly config: PushConfig,
    @Inject(PUSH_CLOCK) private readonly clock: Clock,
  ) {}

  @Get("vapid-public-key")
  vapidPublicKey(): { publicKey: string } {
    if (!this.config.PUSH_VAPID_PUBLIC_KEY)
      throw new ServiceUnavailableException("web push is not configured (PUSH_VAPID_PUBLIC_KEY)");
    return { publicKey: this.config.PUSH_VAPID_PUBLIC_KEY };
  }

  @Post("subscriptions")
  @HttpCode(201)
  @UseGuards(PushWriteKeyGuard)
  async subscribe(@Req() request: WriteKeyRequest): Promise<{ id: string; contactId: string; deviceId: string }> {
    const input = parse(subscribeBody, request.body);
    const workspaceId = request.workspaceId as string;
    const saved = await this.dataSource.transaction(async (manager) => {
      const record = await this.subscriptions.upsert(manager, {
        workspaceId,
        contactId: input.contactId,
        deviceId: input.deviceId,
        kind: input.subscription ? "webpush" : "fcm",
        address: input.subscription?.endpoint ?? input.fcmToken ?? "",
        p256dh: input.subscription?.keys.p256dh ?? null,
        auth: input.subscription?.keys.auth ?? null,
      });
      if (input.maxPerDay !== undefined)
        await this.subscriptions.setMaxPerDay(manager, workspaceId, input.contactId, input.maxPerDay);
      return record;
    });
    return { id: saved.id, contactId: saved.contactId, deviceId: saved.deviceId };
  }

  @Delete("subscriptions")
  @HttpCode(204)
  @UseGuards(PushWriteKeyGuard)
  async unsubscribe(@Req() request: WriteKeyRequest): Promise<void> {
    const input = parse(unsubscribeBody, request.body);
    const by =
      "endpoint" in input ? { address: input.endpoint } : "fcmToken" in input ? { address: input.fcmToken } : input;
    const removed = await this.subscriptions.remove(this.dataSource.manager, request.workspaceId as string, by);
    if (removed === 0) throw new NotFoundException("no such subscription");
  }

  /**
   * A notification click: records OPENED for the send (outbox; once per push, like the service worker's
   * report), then redirects to the signed URL. The token travels as `?t=` because Fastify caps path parameters
   * at 100 characters.
   */
  @Get("click")
  async click(@Query("t") raw: string | undefined, @Res() reply: RedirectReply): Promise<void> {
    if (!raw) throw new BadRequestException("t: the click token is required");
    let token;
    try {
      token = verifyTrackingToken(raw, this.config.PUSH_TRACKING_SECRET);
    } catch (error) {
      if (error instanceof TrackingTokenError) throw new BadRequestException(`token: ${error.message}`);
      throw error;
    }
    if (token.t !== "click") throw new BadRequestException("token: not a click token");
    const reference = {
      workspaceId: token.w,
      idempotencyKey: token.k,
      contactId: token.c,
      runId: token.r,
      nodeId: token.n,
      workflowId: token.f,
    };
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await this.engagements.recordSent(manager, reference, now); // a push sent before engagement rows existed
      await this.recordEngagement.execute(manager, {
        kind: "opened",
        workspaceId: reference.workspaceId,
        idempotencyKey: reference.idempotencyKey,
        at: now,
        url: token.u,
        via: "click_redirect",
      });
    });
    this.relays.notify(PUSH_SCHEMA);
    reply.redirect(token.u, 302);
  }
}

/** Validates a JSON body, also when sent as text/plain (browsers do, to avoid a CORS preflight). */
function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  let value: unknown = body ?? {};
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      throw new BadRequestException("body: must be JSON (sent as application/json or text/plain)");
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new BadRequestException({
      statusCode: 400,
      error: "Bad Request",
      message: result.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "),
    });
  }
  return result.data;
}
