/**
 * Counts the time a page is visible (engaged time), pausing while it is hidden, and hands out what has
 * accumulated since the last report so that every report carries an increment and a running total.
 */
export class EngagementClock {
  private visibleSince: number | undefined;
  private totalMs = 0;
  private reportedMs = 0;

  constructor(
    private readonly now: () => number,
    visible: boolean,
  ) {
    if (visible) this.visibleSince = now();
  }

  show(): void {
    if (this.visibleSince === undefined) this.visibleSince = this.now();
  }

  hide(): void {
    if (this.visibleSince === undefined) return;
    this.totalMs += this.now() - this.visibleSince;
    this.visibleSince = undefined;
  }

  /** Visible time so far, including the current visible stretch. */
  get elapsedMs(): number {
    return this.totalMs + (this.visibleSince === undefined ? 0 : this.now() - this.visibleSince);
  }

  /** The total so far and the part not reported before; marks it reported. */
  report(): { totalMs: number; sinceLastReportMs: number } {
    const totalMs = Math.round(this.elapsedMs);
    const sinceLastReportMs = totalMs - this.reportedMs;
    this.reportedMs = totalMs;
    return { totalMs, sinceLastReportMs };
  }
}
