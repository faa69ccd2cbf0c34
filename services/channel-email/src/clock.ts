/** The time source of channel-email, injected so that quiet hours, caps and deferrals are testable without waiting. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol.for("cascade.channel-email.clock");

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests set by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
