import { Injectable, Logger, type OnModuleInit } from "@nestjs/common";
import { HttpAdapterHost } from "@nestjs/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** The routes the browser SDK calls from the site's origin. */
const BROWSER_PATHS = /^\/api\/push\/(subscriptions|vapid-public-key)(\?|$)/;

/**
 * CORS for the routes browsers call cross-origin (the site is not Cascade's origin): any origin may call them,
 * as with ingest's tracking API; the write key authorises. Preflights (OPTIONS) are answered here. Registered
 * on the shared Fastify instance at module init; other routes are left alone.
 */
@Injectable()
export class PushHttpSetup implements OnModuleInit {
  private readonly log = new Logger("PushHttpSetup");

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addHook !== "function") {
      this.log.warn("not running on Fastify: CORS for the push subscription API is not installed");
      return;
    }
    fastify.addHook("onRequest", answerCors);
  }
}

async function answerCors(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!BROWSER_PATHS.test(request.url)) return;
  const origin = request.headers.origin;
  if (origin) {
    void reply.header("access-control-allow-origin", origin);
    void reply.header("vary", "Origin");
  }
  if (request.method === "OPTIONS") {
    const requested = request.headers["access-control-request-headers"];
    void reply.header("access-control-allow-methods", "GET, POST, DELETE, OPTIONS");
    void reply.header(
      "access-control-allow-headers",
      typeof requested === "string" ? requested : "authorization, content-type",
    );
    void reply.header("access-control-max-age", "86400");
    await reply.status(204).send();
  }
}
