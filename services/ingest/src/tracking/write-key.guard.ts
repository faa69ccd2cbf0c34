import { Injectable, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { IngestConfig } from "../config/ingest.config.js";
import { IngestError } from "../http/ingest-error.js";
import { jsonObjectBody } from "../http/validation.js";
import { WriteKeyResolver, type ResolvedSource } from "../sources/write-key-resolver.js";
import { RateLimiter } from "./rate-limiter.js";

/** A tracking request after WriteKeyGuard: its body as an object and the source it was authenticated for. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  source?: ResolvedSource;
}

/**
 * Segment-style authentication: HTTP Basic with the write key as user name (password empty), or `writeKey` in
 * the JSON body. Then the source's rate limit, one token per message: 429 with Retry-After when exceeded.
 */
@Injectable()
export class WriteKeyGuard implements CanActivate {
  private readonly limiter = new RateLimiter();

  constructor(
    private readonly resolver: WriteKeyResolver,
    private readonly config: IngestConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = basicAuthUser(request.headers.authorization) ?? writeKeyInBody(request);
    if (key === undefined) {
      throw new IngestError(
        "missing_credentials",
        "missing write key: use HTTP Basic auth with the write key as user name, or writeKey in the body",
      );
    }
    const source = await this.resolver.resolve(key);
    if (!source) throw new IngestError("unknown_write_key", "unknown write key");
    const rate = source.rateLimitPerSecond ?? this.config.rateLimitPerSecond;
    const capacity = source.rateLimitPerSecond ? source.rateLimitPerSecond * 2 : this.config.rateLimitBurst;
    const decision = this.limiter.take(source.sourceId, messageCount(request.body), { ratePerSecond: rate, capacity });
    if (!decision.allowed) {
      throw new IngestError("rate_limited", `rate limit of ${rate} messages per second exceeded for this write key`, {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    request.source = source;
    return true;
  }
}

function basicAuthUser(header: string | string[] | undefined): string | undefined {
  if (typeof header !== "string" || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const user = decoded.split(":")[0];
  return user ? user : undefined;
}

/** Also turns a text/plain JSON body into an object, once, for the controller. */
function writeKeyInBody(request: AuthenticatedRequest): string | undefined {
  if (typeof request.body === "string") {
    try {
      request.body = jsonObjectBody(request.body);
    } catch {
      return undefined;
    }
  }
  const body = request.body;
  if (body && typeof body === "object" && "writeKey" in body && typeof body.writeKey === "string" && body.writeKey)
    return body.writeKey;
  return undefined;
}

function messageCount(body: unknown): number {
  if (body && typeof body === "object" && "batch" in body && Array.isArray(body.batch))
    return Math.max(1, body.batch.length);
  return 1;
}
