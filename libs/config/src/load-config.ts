import type { z } from "zod";
import { ConfigError, type ConfigIssue } from "./config-error.js";

/** The environment as a plain map; `process.env` by default. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Parses the environment against a service's schema, once, at start-up, and returns the typed,
 * frozen result. Only the schema's own keys are read; an empty value counts as unset.
 *
 * @throws ConfigError listing every bad variable by name and why.
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Environment = process.env,
): Readonly<z.output<Schema>> {
  const input: Record<string, string | undefined> = {};
  for (const variable of Object.keys(schema.shape)) {
    const value = env[variable];
    input[variable] = value === undefined || value.trim() === "" ? undefined : value;
  }
  const result = schema.safeParse(input);
  if (result.success) return Object.freeze(result.data);
  throw new ConfigError(result.error.issues.map((issue) => toConfigIssue(issue, input)));
}

function toConfigIssue(issue: z.core.$ZodIssue, input: Record<string, string | undefined>): ConfigIssue {
  const variable = issue.path.length === 0 ? "(configuration)" : issue.path.map(String).join(".");
  const topLevel = issue.path[0];
  const unset = typeof topLevel === "string" && input[topLevel] === undefined;
  if (unset && issue.code === "invalid_type") return { variable, reason: "required but not set" };
  return { variable, reason: issue.message };
}

/** Where `exitOnConfigError` reports; replaceable in tests. */
export interface ConfigErrorExit {
  writeError(text: string): void;
  exit(code: number): never;
}

const processExit: ConfigErrorExit = {
  writeError: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

/**
 * For main.ts: runs `load` and, if it throws a ConfigError, prints the message to stderr and exits
 * with status 1 (no stack trace: the message is the whole story). Other errors propagate.
 *
 * ```ts
 * const config = exitOnConfigError(() => loadConfig(ingestConfigSchema));
 * ```
 */
export function exitOnConfigError<T>(load: () => T, exit: ConfigErrorExit = processExit): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    exit.writeError(`${error.message}\n`);
    return exit.exit(1);
  }
}
