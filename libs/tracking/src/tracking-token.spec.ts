import { describe, expect, it } from "vitest";
import {
  clickTrackingUrl,
  openPixelUrl,
  signTrackingToken,
  TrackingTokenError,
  verifyTrackingToken,
} from "./tracking-token.js";

const secret = "a-tracking-secret-of-some-length";
const message = { w: "ws1", c: "alice", k: "run1:node1" };

describe("tracking tokens", () => {
  it("round-trips an open and a click token", () => {
    expect(verifyTrackingToken(signTrackingToken({ ...message, t: "open" }, secret), secret)).toEqual({
      ...message,
      t: "open",
    });
    const click = {
      ...message,
      t: "click" as const,
      u: "https://example.com/a?utm_source=x",
      utm: { utm_campaign: "spring" },
    };
    expect(verifyTrackingToken(signTrackingToken(click, secret), secret)).toEqual(click);
  });

  it("refuses a token signed with another secret, an altered body, and garbage", () => {
    const token = signTrackingToken({ ...message, t: "open" }, secret);
    expect(() => verifyTrackingToken(token, "another-secret-of-some-length")).toThrow(TrackingTokenError);
    const [, signature] = token.split(".");
    const altered = Buffer.from(JSON.stringify({ ...message, c: "bob", t: "open" })).toString("base64url");
    expect(() => verifyTrackingToken(`${altered}.${signature}`, secret)).toThrow(/signature/);
    expect(() => verifyTrackingToken("not-a-token", secret)).toThrow(/malformed/);
  });

  it("never signs a redirect to a non-http URL into a valid click token", () => {
    const token = signTrackingToken({ ...message, t: "click", u: "javascript:alert(1)" }, secret);
    expect(() => verifyTrackingToken(token, secret)).toThrow(/incomplete/);
  });

  it("builds pixel and click URLs under the ingest base URL", () => {
    expect(openPixelUrl("https://t.example.com/", message, secret)).toMatch(
      /^https:\/\/t\.example\.com\/t\/o\/[\w-]+\.[\w-]+$/,
    );
    expect(clickTrackingUrl("https://t.example.com", message, "https://shop.example.com", secret)).toMatch(
      /^https:\/\/t\.example\.com\/t\/c\//,
    );
  });
});
