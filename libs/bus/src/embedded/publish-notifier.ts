import { abortableDelay } from "../delivery/retry-policy.js";

/**
 * Wakes this process's consumers as soon as a local publish commits, so the embedded bus does not
 * wait for its next poll. Each topic has a version; a consumer reads the version before it queries,
 * and `waitForPublish` returns at once if a publish happened in between (no lost wake-ups).
 */
export class PublishNotifier {
  private readonly versions = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();

  version(topic: string): number {
    return this.versions.get(topic) ?? 0;
  }

  notify(topic: string): void {
    this.versions.set(topic, this.version(topic) + 1);
    for (const wake of this.waiters.get(topic) ?? []) wake();
  }

  /** Resolves on a publish to `topic` after `seenVersion`, after `timeoutMs`, or on abort. */
  async waitForPublish(topic: string, seenVersion: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.version(topic) !== seenVersion) return;
    const wakeUp = new AbortController();
    const waiters = this.waiters.get(topic) ?? new Set<() => void>();
    this.waiters.set(topic, waiters);
    const wake = (): void => wakeUp.abort();
    waiters.add(wake);
    try {
      await abortableDelay(timeoutMs, AbortSignal.any([signal, wakeUp.signal]));
    } finally {
      waiters.delete(wake);
      if (waiters.size === 0) this.waiters.delete(topic);
    }
  }
}
