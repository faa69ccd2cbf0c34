import { Injectable, Logger, type OnModuleInit } from "@nestjs/common";
import { HttpAdapterHost } from "@nestjs/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Readable } from "node:stream";
import { browserCorsHook } from "@cascade/runtime";
import { BodyError, bodyRouteOf, decoderFor, LimitedBody } from "./request-body.js";

/** The raw (decompressed) body of webhook and callback requests, for signature checks. */
export interface RequestWithRawBody {
  rawBody?: Buffer;
}

const CORS_PATH = /^\/(v1|t)\//;

/**
 * Fastify-level request handling for ingest's routes, registered on the shared Fastify instance at module init
 * (before the server listens): CORS for browsers (tracking API and tracking links), gzip/deflate request bodies,
 * Segment's size limits counted on the decompressed bytes, raw bodies kept for signed webhooks, and a
 * multipart/form-data parser for Mailgun routes. Routes of other services are left alone.
 */
@Injectable()
export class IngestHttpSetup implements OnModuleInit {
  private readonly log = new Logger("IngestHttpSetup");

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addHook !== "function") {
      this.log.warn("not running on Fastify: CORS, gzip bodies and size limits of ingest are not installed");
      return;
    }
    fastify.addHook(
      "onRequest",
      browserCorsHook({
        paths: CORS_PATH,
        methods: "GET, POST, OPTIONS",
        headers: "authorization, content-type, content-encoding",
      }),
    );
    fastify.addHook("preParsing", decodeBody);
    if (!fastify.hasContentTypeParser("multipart/form-data")) {
      fastify.addContentTypeParser("multipart/form-data", { parseAs: "buffer" }, parseMultipart);
    }
  }
}

async function decodeBody(
  request: FastifyRequest & RequestWithRawBody,
  _reply: FastifyReply,
  payload: Readable,
): Promise<Readable> {
  const route = bodyRouteOf(request.url);
  if (!route) return payload;
  const decoder = decoderFor(request.headers["content-encoding"]);
  const limited = new LimitedBody(route.limitBytes, route.keepRaw);
  if (route.keepRaw) limited.on("end", () => (request.rawBody = limited.raw));
  payload.on("error", (error) => limited.destroy(error));
  if (decoder) {
    decoder.on("error", (error) => limited.destroy(new BodyError(`could not be decompressed (${error.message})`)));
    limited.on("close", () => decoder.destroy());
    payload.pipe(decoder).pipe(limited);
  } else {
    payload.pipe(limited);
  }
  const stream = limited;
  // Fastify compares Content-Length with the bytes it reads; a decoded body is longer than the encoded one.
  if (decoder) delete request.headers["content-length"];
  return stream;
}

function parseMultipart(
  request: FastifyRequest,
  body: Buffer,
  done: (error: Error | null, body?: unknown) => void,
): void {
  const contentType = request.headers["content-type"] ?? "";
  new Response(new Uint8Array(body), { headers: { "content-type": contentType } })
    .formData()
    .then((form) => {
      const fields: Record<string, string> = {};
      form.forEach((value, name) => {
        fields[name] = typeof value === "string" ? value : `[file ${value.name}]`;
      });
      done(null, fields);
    })
    .catch(() => done(new BodyError("is not valid multipart/form-data")));
}
