import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter.js";

const limit = { ratePerSecond: 10, capacity: 20 };

describe("RateLimiter", () => {
  it("lets a burst up to the capacity through, then refuses with the seconds until enough tokens are back", () => {
    const limiter = new RateLimiter();
    expect(limiter.take("src", 15, limit, 0)).toEqual({ allowed: true });
    expect(limiter.take("src", 5, limit, 0)).toEqual({ allowed: true });
    expect(limiter.take("src", 15, limit, 0)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(limiter.take("src", 10, limit, 1_000)).toEqual({ allowed: true });
  });

  it("keeps keys apart and charges an oversized request the capacity", () => {
    const limiter = new RateLimiter();
    expect(limiter.take("a", 100, limit, 0)).toEqual({ allowed: true });
    expect(limiter.take("a", 1, limit, 0).allowed).toBe(false);
    expect(limiter.take("b", 1, limit, 0)).toEqual({ allowed: true });
  });
});
