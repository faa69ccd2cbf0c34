import type { BeforeApplicationShutdown } from "@nestjs/common";
import type { ReadinessCheck } from "./readiness-check.js";

/** Outcome of one check: `ok`, or why it failed. */
export type CheckOutcome = "ok" | "not ready" | "shutting down" | `failed: ${string}` | `timed out after ${number}ms`;

export interface ReadinessReport {
  ready: boolean;
  /** Names of the checks that did not pass, in registration order. */
  failing: string[];
  checks: Record<string, CheckOutcome>;
}

export interface ReadinessOptions {
  /** A check that takes longer fails (default 2000 ms). */
  checkTimeoutMs?: number;
}

export class DuplicateReadinessCheckError extends Error {
  constructor(name: string) {
    super(`a readiness check named ${JSON.stringify(name)} is already registered`);
    this.name = "DuplicateReadinessCheckError";
  }
}

const SHUTDOWN_CHECK = "shutdown";

/**
 * The readiness checks of one application. Services register theirs at start-up (typically in a
 * module's `onModuleInit`); /health/ready runs them all in parallel. Once Nest starts shutting
 * down, the application reports not ready so load balancers stop sending traffic.
 */
export class ReadinessRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly checkTimeoutMs: number;
  private shuttingDown = false;

  constructor(options: ReadinessOptions = {}) {
    this.checkTimeoutMs = options.checkTimeoutMs ?? 2_000;
  }

  /** Adds a check; returns a function that removes it again. */
  register(check: ReadinessCheck): () => void {
    if (this.checks.has(check.name)) throw new DuplicateReadinessCheckError(check.name);
    this.checks.set(check.name, check);
    return () => {
      if (this.checks.get(check.name) === check) this.checks.delete(check.name);
    };
  }

  async evaluate(): Promise<ReadinessReport> {
    const entries = [...this.checks.values()];
    const outcomes = await Promise.all(entries.map((check) => this.run(check)));
    const checks: Record<string, CheckOutcome> = {};
    entries.forEach((check, index) => {
      checks[check.name] = outcomes[index] ?? "not ready";
    });
    if (this.shuttingDown) checks[SHUTDOWN_CHECK] = "shutting down";
    const failing = Object.keys(checks).filter((name) => checks[name] !== "ok");
    return { ready: failing.length === 0, failing, checks };
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  private async run(check: ReadinessCheck): Promise<CheckOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckOutcome>((resolve) => {
      timer = setTimeout(() => resolve(`timed out after ${this.checkTimeoutMs}ms`), this.checkTimeoutMs);
      timer.unref();
    });
    const outcome = check.check().then(
      (passed): CheckOutcome => (passed ? "ok" : "not ready"),
      (error: unknown): CheckOutcome => `failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    try {
      return await Promise.race([outcome, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
