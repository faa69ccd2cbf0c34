import type { FastifyReply, FastifyRequest } from "fastify";

export interface BrowserCorsOptions {
  /** The request URLs (path and query) the hook answers for; other routes are left alone. */
  readonly paths: RegExp;
  /** Methods a preflight allows, e.g. "GET, POST, OPTIONS". */
  readonly methods: string;
  /** Headers a preflight allows when the browser does not list the ones it wants. */
  readonly headers: string;
}

/**
 * A Fastify onRequest hook giving CORS to routes that browsers call from a customer's site (tracking API,
 * push subscriptions): any origin may call them, since a write key, not the origin, authorises; preflights
 * (OPTIONS) are answered here with 204.
 */
export function browserCorsHook(
  options: BrowserCorsOptions,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    if (!options.paths.test(request.url)) return;
    const origin = request.headers.origin;
    if (origin) {
      void reply.header("access-control-allow-origin", origin);
      void reply.header("vary", "Origin");
    }
    if (request.method === "OPTIONS") {
      const requested = request.headers["access-control-request-headers"];
      void reply.header("access-control-allow-methods", options.methods);
      void reply.header("access-control-allow-headers", typeof requested === "string" ? requested : options.headers);
      void reply.header("access-control-max-age", "86400");
      await reply.status(204).send();
    }
  };
}
