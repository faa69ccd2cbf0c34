import { SystemEvents } from "@cascade/contracts";
import { describe, expect, it } from "vitest";
import { consentSignalsOf, supersedes } from "./consent.js";

describe("consent statements in events", () => {
  it("reads system events on events.v1", () => {
    expect(consentSignalsOf(SystemEvents.EmailUnsubscribed, {}, undefined)).toEqual([
      { channel: "email", status: "denied", source: "unsubscribe_link" },
    ]);
    expect(consentSignalsOf(SystemEvents.SmsOptedOut, { source: "STOP" }, undefined)).toEqual([
      { channel: "sms", status: "denied", source: "STOP" },
    ]);
    expect(consentSignalsOf(SystemEvents.SmsOptedIn, {}, undefined)).toEqual([
      { channel: "sms", status: "granted", source: "sms_keyword" },
    ]);
  });

  it("reads consent_granted / consent_revoked track events, including pending double opt-in", () => {
    expect(consentSignalsOf("consent_granted", { channel: "push", source: "app_prompt" }, undefined)).toEqual([
      { channel: "push", status: "granted", source: "app_prompt" },
    ]);
    expect(consentSignalsOf("consent_granted", { channel: "email", status: "pending" }, undefined)).toEqual([
      { channel: "email", status: "pending", source: "api" },
    ]);
    expect(consentSignalsOf("consent_revoked", { channel: "email" }, undefined)).toEqual([
      { channel: "email", status: "denied", source: "api" },
    ]);
    expect(consentSignalsOf("consent_granted", { channel: "fax" }, undefined)).toEqual([]);
  });

  it("reads the consent trait of identify calls", () => {
    const traits = {
      consent: { email: true, sms: { status: "denied", source: "preference_center" }, push: "maybe", fax: true },
    };
    expect(consentSignalsOf("identify", {}, traits)).toEqual([
      { channel: "email", status: "granted", source: "identify" },
      { channel: "sms", status: "denied", source: "preference_center" },
    ]);
    expect(consentSignalsOf("identify", {}, { name: "x" })).toEqual([]);
  });

  it("lets the later statement win by event time", () => {
    const current = {
      channel: "email" as const,
      status: "denied" as const,
      source: "x",
      updatedAt: new Date("2025-01-02T00:00:00Z"),
      messageId: "m",
    };
    expect(supersedes(undefined, new Date(0))).toBe(true);
    expect(supersedes(current, new Date("2025-01-01T00:00:00Z"))).toBe(false);
    expect(supersedes(current, new Date("2025-01-03T00:00:00Z"))).toBe(true);
  });
});
