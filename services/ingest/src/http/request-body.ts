import { Transform, type TransformCallback } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { BadRequestException } from "@nestjs/common";

/** Segment's limits: 32 KB for a single call (and each message of a batch), 500 KB for a batch. */
export const MESSAGE_LIMIT_BYTES = 32 * 1024;
export const BATCH_LIMIT_BYTES = 500 * 1024;
/** Webhooks and provider callbacks: the runtime's own limit. */
export const CALLBACK_LIMIT_BYTES = 1024 * 1024;

export type BodyRoute = { kind: "message" | "batch" | "callback"; limitBytes: number; keepRaw: boolean };

const SINGLE_MESSAGE_PATHS = new Set(["/v1/identify", "/v1/track", "/v1/page", "/v1/screen", "/v1/group", "/v1/alias"]);
const BATCH_PATHS = new Set(["/v1/batch", "/v1/import"]);

/** Which ingest route a URL is, for body handling; undefined for routes of other services. */
export function bodyRouteOf(url: string): BodyRoute | undefined {
  const path = url.split("?")[0] ?? url;
  if (SINGLE_MESSAGE_PATHS.has(path)) return { kind: "message", limitBytes: MESSAGE_LIMIT_BYTES, keepRaw: false };
  if (BATCH_PATHS.has(path)) return { kind: "batch", limitBytes: BATCH_LIMIT_BYTES, keepRaw: false };
  if (path.startsWith("/v1/hooks/") || path.startsWith("/callbacks/"))
    return { kind: "callback", limitBytes: CALLBACK_LIMIT_BYTES, keepRaw: true };
  return undefined;
}

/**
 * A body that broke a rule before it could be parsed: a 400 naming `body` and the reason. It is raised in a Fastify
 * hook, before any controller, so it is an HTTP exception that Nest's global handler renders as is.
 */
export class BodyError extends BadRequestException {
  constructor(reason: string) {
    super({
      statusCode: 400,
      error: "invalid_request",
      message: `body: ${reason}`,
      issues: [{ field: "body", message: reason }],
    });
    this.name = "BodyError";
  }
}

/**
 * Counts the (decompressed) bytes of a body and fails with a BodyError past `limitBytes`, so neither a large
 * body nor a small gzip bomb is ever held in memory; optionally keeps the bytes (`raw`) for signature checks.
 */
export class LimitedBody extends Transform {
  private received = 0;
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly limitBytes: number,
    private readonly keepRaw: boolean,
  ) {
    super();
  }

  get raw(): Buffer {
    return Buffer.concat(this.chunks);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.limitBytes) {
      done(new BodyError(`exceeds the limit of ${Math.round(this.limitBytes / 1024)} KB`));
      return;
    }
    if (this.keepRaw) this.chunks.push(chunk);
    done(null, chunk);
  }
}

/** A decompressing stream for a Content-Encoding, undefined for identity; BodyError for an unsupported one. */
export function decoderFor(contentEncoding: string | undefined): Transform | undefined {
  const encoding = (contentEncoding ?? "identity").trim().toLowerCase();
  switch (encoding) {
    case "":
    case "identity":
      return undefined;
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    default:
      throw new BodyError(`content-encoding "${encoding}" is not supported (use gzip, deflate or none)`);
  }
}
