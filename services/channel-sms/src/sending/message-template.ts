import type { JsonObject, JsonValue } from "@cascade/contracts";

export type RenderResult = { ok: true; text: string } | { ok: false; reason: string };

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g;

/**
 * Simple substitution: `{{ name }}` or `{{ contact.first_name }}` is replaced by the variable's value
 * (dotted paths walk nested objects). A placeholder without a value fails the render, naming it, rather
 * than sending "Hi {{first_name}}".
 */
export function renderTemplate(body: string, variables: JsonObject | undefined): RenderResult {
  const missing: string[] = [];
  const text = body.replace(PLACEHOLDER, (_match, path: string) => {
    const value = lookup(variables, path);
    if (value === undefined || value === null || typeof value === "object") {
      missing.push(path);
      return "";
    }
    return String(value);
  });
  if (missing.length > 0)
    return {
      ok: false,
      reason: `variables: no value for ${[...new Set(missing)].map((name) => `{{${name}}}`).join(", ")}`,
    };
  return { ok: true, text };
}

function lookup(variables: JsonObject | undefined, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = variables;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as JsonObject)[part];
  }
  return current;
}
