import type { z } from "zod";
import { IngestError, type FieldIssue } from "./ingest-error.js";

/** Validates `input` with a zod schema; on failure an IngestError naming every bad field (under `prefix`) and why. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, prefix = ""): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw IngestError.invalid(issuesOf(result.error, prefix, input));
}

/** The issues of a failed parse as fields and reasons; a field absent from `input` is reported as "is required". */
export function issuesOf(error: z.ZodError, prefix = "", input?: unknown): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
    const absent = input !== undefined && issue.path.length > 0 && valueAt(input, issue.path) === undefined;
    const missing =
      (issue.code === "invalid_type" || issue.code === "invalid_union") &&
      (absent || /received undefined/.test(issue.message));
    return { field: path || "body", message: missing ? "is required" : issue.message };
  });
}

/** A request body as an object: JSON sent as text/plain (browser beacons avoid CORS preflight that way) is parsed. */
export function jsonObjectBody(body: unknown): Record<string, unknown> {
  let value = body;
  if (typeof value === "string" || Buffer.isBuffer(value)) {
    try {
      value = JSON.parse(value.toString());
    } catch {
      throw IngestError.invalid([{ field: "body", message: "is not valid JSON" }]);
    }
  }
  if (value === undefined || value === null)
    throw IngestError.invalid([{ field: "body", message: "is required (a JSON object)" }]);
  if (typeof value !== "object" || Array.isArray(value))
    throw IngestError.invalid([{ field: "body", message: "must be a JSON object" }]);
  return value as Record<string, unknown>;
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (!value || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
