import { BadRequestException } from "@nestjs/common";
import type { z } from "zod";

/** Validates a body; a 400 names every invalid field and why. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new BadRequestException({
      statusCode: 400,
      error: "Bad Request",
      message: result.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "),
    });
  }
  return result.data;
}
