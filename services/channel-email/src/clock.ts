/**
 * channel-email's time source is libs/compliance's Clock (quiet hours, caps and deferrals are testable without
 * waiting); this is its injection token.
 */
export { ManualClock, systemClock, type Clock } from "@cascade/compliance";

export const CLOCK = Symbol.for("cascade.channel-email.clock");
