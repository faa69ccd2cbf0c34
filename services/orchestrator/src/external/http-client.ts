import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import type { SsrfGuard } from "./ssrf-guard.js";

export interface HttpCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Parsed JSON when the response is JSON, else the text (first 64 KiB). */
  readonly body: unknown;
}

/** A failed call: `retryable` for network errors, timeouts, 408, 429 and 5xx. */
export class HttpCallError extends Error {
  constructor(
    readonly code: "SSRF_REFUSED" | "TIMEOUT" | "NETWORK" | "HTTP_STATUS" | "INVALID_URL",
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = "HttpCallError";
  }
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Outgoing HTTP for integration nodes. The SSRF guard runs inside the socket's DNS lookup, so the address
 * checked is the address connected to. 2xx resolves; anything else rejects with HttpCallError.
 */
export class HttpClient {
  constructor(private readonly guard: SsrfGuard) {}

  async call(call: HttpCall): Promise<HttpResponse> {
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      throw new HttpCallError("INVALID_URL", `not a URL: ${call.url}`, false);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new HttpCallError("INVALID_URL", `only http(s) URLs, got ${url.protocol}`, false);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const guard = this.guard;
    // Node connects to IP literals without a lookup, so they are checked here.
    if (isIP(host) !== 0) {
      const refused = guard.refusal(host, host);
      if (refused) throw new HttpCallError("SSRF_REFUSED", refused, false);
    }
    const lookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, "", 4);
        const refused = addresses
          .map((entry) => guard.refusal(host, entry.address))
          .find((reason) => reason !== undefined);
        if (refused) return callback(new HttpCallError("SSRF_REFUSED", refused, false), "", 4);
        const first = addresses[0] as LookupAddress;
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        callback(null, first.address, first.family);
      });
    };
    const body = call.body === undefined ? undefined : Buffer.from(call.body);
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = send(
        url,
        {
          method: call.method,
          headers: { ...call.headers, ...(body ? { "content-length": String(body.length) } : {}) },
          lookup,
          timeout: call.timeoutMs,
        },
        (res) => {
          readBody(res).then(
            (parsed) => {
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) return resolve({ status, body: parsed });
              const retryable = status === 408 || status === 429 || status >= 500;
              reject(
                new HttpCallError(
                  "HTTP_STATUS",
                  `${call.method} ${url.origin}${url.pathname} answered ${status}`,
                  retryable,
                  status,
                ),
              );
            },
            (error: unknown) =>
              reject(new HttpCallError("NETWORK", `reading the response failed: ${String(error)}`, true)),
          );
        },
      );
      req.on("timeout", () =>
        req.destroy(
          new HttpCallError(
            "TIMEOUT",
            `${call.method} ${url.origin}${url.pathname} timed out after ${call.timeoutMs} ms`,
            true,
          ),
        ),
      );
      req.on("error", (error) => {
        if (error instanceof HttpCallError) return reject(error);
        const cause = (error as { cause?: unknown }).cause;
        if (cause instanceof HttpCallError) return reject(cause);
        reject(
          new HttpCallError("NETWORK", `${call.method} ${url.origin}${url.pathname} failed: ${error.message}`, true),
        );
      });
      if (body) req.write(body);
      req.end();
    });
  }
}

async function readBody(res: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    const buffer = chunk as Buffer;
    if (size < MAX_BODY_BYTES) chunks.push(buffer);
    size += buffer.length;
  }
  const text = Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY_BYTES);
  if (String(res.headers["content-type"] ?? "").includes("json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
