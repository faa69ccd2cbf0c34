/**
 * The orchestrator's time source. Every "now" of the engine, the timer poller and the retry backoff comes
 * from here, so tests skip days by moving a clock instead of waiting. Production uses the system clock.
 */
export interface Clock {
  now(): Date;
}

/** Injection token of the Clock (see OrchestratorModule.forRoot and ORCHESTRATOR_CLOCK). */
export const CLOCK = Symbol.for("cascade.orchestrator.clock");

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: unit and integration tests. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date): void {
    this.current = at.getTime();
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance: ms must be >= 0, got ${ms}`);
    this.current += ms;
  }
}

/**
 * System time plus an offset that can only grow: ORCHESTRATOR_CLOCK=adjustable, for tests that run the
 * orchestrator as a separate process and skip time through POST /orchestrator/admin/clock/advance.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance: ms must be >= 0, got ${ms}`);
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
