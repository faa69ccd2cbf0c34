import type { MediaKind } from "../post-constraints.js";
import type { PlatformName } from "../platforms.js";

/** A checked post, ready for one platform. */
export interface OutgoingPost {
  text: string;
  media: ReadonlyArray<{ url: string; kind: MediaKind }>;
  /** The per-platform idempotency key. */
  reference: string;
}

export interface PublishedPost {
  /** The platform's id of the post (tweet id, Page post id, share URN, IG media id). */
  postId: string;
}

/** Public counters of one post. */
export interface Engagement {
  likes: number;
  shares: number;
  comments: number;
}

/**
 * Why a call failed, which decides what happens next:
 * - `rejected`: the platform refused this post for good (duplicate content, bad token); it was not posted.
 * - `not_sent`: provably not taken (connection refused, 429 rate limit); safe to retry later.
 * - `unknown`: it may have been posted (timeout, 5xx); never repost blindly.
 */
export type SocialFailureKind = "rejected" | "not_sent" | "unknown";

export class SocialProviderError extends Error {
  constructor(
    readonly kind: SocialFailureKind,
    /** A stable reason for the outcome, e.g. "x_http_403". */
    readonly reason: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "SocialProviderError";
  }
}

/** One platform behind one interface; base URLs are configurable so tests talk to local servers. */
export interface SocialPublisher {
  readonly platform: PlatformName;
  publish(post: OutgoingPost): Promise<PublishedPost>;
  fetchEngagement(postId: string): Promise<Engagement>;
}

const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** An HTTP JSON client with the failure mapping every adapter shares. */
export class PlatformHttp {
  constructor(
    private readonly platform: PlatformName,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  /** Sends a request; answers the parsed JSON body and headers of a 2xx, throws SocialProviderError otherwise. */
  async call<T>(
    method: "GET" | "POST",
    path: string,
    init: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string> } = {},
  ): Promise<{ body: T; headers: Headers }> {
    const headers: Record<string, string> = { accept: "application/json", ...init.headers };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl.replace(/\/$/, "")}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.networkFailure(error);
    }
    const text = await response.text();
    if (response.status < 200 || response.status > 299) throw this.statusFailure(response.status, text);
    return { body: (text ? parseJson(text) : {}) as T, headers: response.headers };
  }

  private networkFailure(error: unknown): SocialProviderError {
    const code = errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    if (code && NEVER_CONNECTED.has(code))
      return new SocialProviderError("not_sent", `${this.platform}_unreachable`, `${this.platform}: ${message}`);
    return new SocialProviderError(
      "unknown",
      `${this.platform}_no_response`,
      `${this.platform}: no answer (${code ?? message}); the post may have been published`,
    );
  }

  private statusFailure(status: number, text: string): SocialProviderError {
    const detail = describeError(text);
    const message = `${this.platform} ${status}: ${detail}`;
    if (status === 429) return new SocialProviderError("not_sent", `${this.platform}_rate_limited`, message, status);
    if (status >= 500) return new SocialProviderError("unknown", `${this.platform}_http_${status}`, message, status);
    return new SocialProviderError("rejected", `${this.platform}_http_${status}`, message, status);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text.slice(0, 200) };
  }
}

/** The message of the error bodies of X ({detail}), Graph API ({error: {message}}) and LinkedIn ({message}). */
function describeError(text: string): string {
  const body = parseJson(text) as {
    detail?: unknown;
    title?: unknown;
    message?: unknown;
    error?: { message?: unknown };
  };
  for (const candidate of [body.detail, body.error?.message, body.message, body.title])
    if (typeof candidate === "string") return candidate;
  return text.slice(0, 200);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
