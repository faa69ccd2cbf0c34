import { Injectable, Logger, type OnModuleInit } from "@nestjs/common";
import { HttpAdapterHost } from "@nestjs/core";
import type { FastifyInstance } from "fastify";
import { browserCorsHook } from "@cascade/runtime";

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
    fastify.addHook(
      "onRequest",
      browserCorsHook({
        paths: BROWSER_PATHS,
        methods: "GET, POST, DELETE, OPTIONS",
        headers: "authorization, content-type",
      }),
    );
  }
}
