import { Inject, Injectable, Logger, type OnModuleInit } from "@nestjs/common";
import { HttpAdapterHost } from "@nestjs/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { STUDIO_CONFIG, type StudioConfig } from "../config/studio.config.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** First path segments owned by APIs of the services sharing this process: never answered with the UI. */
const RESERVED = new Set(["api", "v1", "t", "health", "metrics", "callbacks", "email", "orchestrator", "hooks"]);

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cascade studio</title></head>
<body style="font-family:system-ui;margin:3rem"><h1>Cascade studio</h1>
<p>The builder UI is not built yet. Run <code>node services/studio/ui/build.mjs</code> (or <code>npm run build</code>) and reload.</p>
<p>The studio API answers under <code>/api</code>; its OpenAPI document is at <code>/api/docs</code>.</p></body></html>`;

/**
 * Serves the builder UI (dist/studio-ui, built by Vite) at `/` on the shared Fastify instance: files by path
 * with their content type (hashed assets cached for a year), and index.html for any other GET path (the
 * single-page app's routes). Paths under other services' prefixes (/api, /v1, /t, /health, /metrics, …) are
 * never answered here: they 404 as JSON like any unknown API route.
 */
@Injectable()
export class UiHostSetup implements OnModuleInit {
  private readonly log = new Logger("UiHostSetup");
  private readonly root: string;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(STUDIO_CONFIG) config: StudioConfig,
  ) {
    this.root = resolve(config.STUDIO_UI_DIR);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.get !== "function") {
      this.log.warn("not running on Fastify: the builder UI is not served");
      return;
    }
    fastify.get("/", (request, reply) => this.serve(request, reply));
    fastify.get("/*", (request, reply) => this.serve(request, reply));
  }

  private async serve(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const path = decodeURIComponent(new URL(request.url, "http://studio").pathname);
    const first = path.split("/")[1] ?? "";
    if (RESERVED.has(first)) {
      await reply.status(404).send({ statusCode: 404, error: "Not Found", message: `Cannot GET ${path}` });
      return;
    }
    const file = resolve(this.root, `.${path}`);
    const inside = file === this.root || file.startsWith(this.root + sep);
    const asset = inside && path !== "/" ? await fileSize(file) : undefined;
    if (asset !== undefined) {
      const cache = path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
      await reply
        .header("content-type", CONTENT_TYPES[extname(file)] ?? "application/octet-stream")
        .header("content-length", asset)
        .header("cache-control", cache)
        .send(createReadStream(file));
      return;
    }
    if (extname(path) !== "" && path !== "/index.html") {
      await reply.status(404).send({ statusCode: 404, error: "Not Found", message: `no file ${path}` });
      return;
    }
    const index = resolve(this.root, "index.html");
    const indexSize = await fileSize(index);
    if (indexSize === undefined) {
      await reply.status(200).header("content-type", CONTENT_TYPES[".html"]).send(NOT_BUILT);
      return;
    }
    await reply
      .header("content-type", CONTENT_TYPES[".html"])
      .header("cache-control", "no-cache")
      .send(createReadStream(index));
  }
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}
