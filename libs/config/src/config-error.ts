/** One environment variable that failed validation. */
export interface ConfigIssue {
  /** The environment variable's name, e.g. `KAFKA_BROKERS`. */
  variable: string;
  /** Why it was rejected, e.g. `expected comma-separated host:port list, got "x"`. */
  reason: string;
}

/**
 * Thrown by `loadConfig` when the environment does not satisfy a service's schema.
 * The message lists every bad variable, one per line, so an operator fixes them all in one go.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(ConfigError.describe(issues));
    this.name = "ConfigError";
    this.issues = issues;
  }

  private static describe(issues: readonly ConfigIssue[]): string {
    const lines = issues.map((issue) => `  ${issue.variable}: ${issue.reason}`);
    return `Invalid configuration (${issues.length} ${issues.length === 1 ? "problem" : "problems"}):\n${lines.join("\n")}`;
  }
}
