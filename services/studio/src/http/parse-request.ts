import type { z } from "zod";
import { StudioError } from "./studio-error.js";

/** Validates a request body or query; a 400 (INVALID_REQUEST) names every invalid field and why. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, what = "body"): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join(".") : what,
    message: issue.message,
  }));
  throw new StudioError("INVALID_REQUEST", issues.map((issue) => `${issue.field}: ${issue.message}`).join("; "), {
    issues,
  });
}
