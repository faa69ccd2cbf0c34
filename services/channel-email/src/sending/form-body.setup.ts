import { Injectable, type OnModuleInit } from "@nestjs/common";
import { HttpAdapterHost } from "@nestjs/core";
import type { FastifyInstance } from "fastify";

/**
 * Parses application/x-www-form-urlencoded bodies (one-click unsubscribe per RFC 8058 and the preference form)
 * into a plain object, when no other module registered a parser for them.
 */
@Injectable()
export class FormBodySetup implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (
      !fastify ||
      typeof fastify.hasContentTypeParser !== "function" ||
      fastify.hasContentTypeParser("application/x-www-form-urlencoded")
    )
      return;
    fastify.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 64 * 1024 },
      (_request, body, done) => {
        const values: Record<string, string | string[]> = {};
        for (const [name, value] of new URLSearchParams(String(body))) {
          const previous = values[name];
          values[name] =
            previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
        }
        done(null, values);
      },
    );
  }
}
