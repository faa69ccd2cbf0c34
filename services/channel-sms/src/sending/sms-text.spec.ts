import { describe, expect, it } from "vitest";
import { renderTemplate } from "./message-template.js";
import { normalisePhoneNumber } from "./phone-number.js";
import { countSegments, estimateCost } from "./sms-segments.js";
import { readContactContext } from "./contact-context.js";
import { MessageCategory } from "@cascade/contracts";
import { rulesFor } from "./sms-policy.js";

describe("countSegments", () => {
  it("fits 160 GSM-7 characters in one segment and splits longer text into 153-septet parts", () => {
    expect(countSegments("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSegments("a".repeat(161))).toEqual({ encoding: "GSM-7", units: 161, segments: 2 });
    expect(countSegments("a".repeat(306)).segments).toBe(2);
    expect(countSegments("a".repeat(307)).segments).toBe(3);
  });

  it("counts GSM extension characters (€, [, ]) as two septets", () => {
    expect(countSegments("€".repeat(80))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSegments("€".repeat(81)).segments).toBe(2);
  });

  it("switches to UCS-2 for any other character: 70 per segment, 67 per part, emoji count twice", () => {
    expect(countSegments("ć".repeat(70))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(countSegments("ć".repeat(71)).segments).toBe(2);
    expect(countSegments("😀".repeat(35))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(estimateCost(countSegments("ć".repeat(71)), 0.0079)).toBe(0.0158);
  });
});

describe("normalisePhoneNumber", () => {
  it("normalises national numbers in the contact's country and international ones without it", () => {
    expect(normalisePhoneNumber("07400 123456", "GB")).toEqual({ ok: true, e164: "+447400123456", country: "GB" });
    expect(normalisePhoneNumber("+1 (415) 555-2671")).toMatchObject({ ok: true, e164: "+14155552671" });
    expect(normalisePhoneNumber("030 901820", "de")).toMatchObject({ ok: true, e164: "+4930901820" });
  });

  it("rejects garbage, an impossible number, and a national number without a country, saying why", () => {
    expect(normalisePhoneNumber("not a number")).toMatchObject({ ok: false });
    expect(normalisePhoneNumber("+1 555")).toEqual({
      ok: false,
      reason: expect.stringContaining("not a valid number") as string,
    });
    expect(normalisePhoneNumber("07400 123456")).toEqual({
      ok: false,
      reason: expect.stringContaining("no country") as string,
    });
    expect(normalisePhoneNumber("07400 123456", "GBR")).toEqual({
      ok: false,
      reason: expect.stringContaining("country") as string,
    });
  });
});

describe("renderTemplate", () => {
  it("substitutes flat and dotted variables and names every missing one", () => {
    expect(renderTemplate("Hi {{ first_name }}, code {{order.id}}", { first_name: "Ada", order: { id: 42 } })).toEqual({
      ok: true,
      text: "Hi Ada, code 42",
    });
    expect(renderTemplate("Hi {{first_name}} {{last}}", {})).toEqual({
      ok: false,
      reason: "variables: no value for {{first_name}}, {{last}}",
    });
  });
});

describe("readContactContext and category rules", () => {
  it("reads country, timezone, schedule and consent evidence, naming a bad field", () => {
    const read = readContactContext({
      contact: { country: "gb", timezone: "Europe/London" },
      sms_consent: { granted_at: "2025-01-01T00:00:00Z", source: "web_form", ip: "1.2.3.4" },
    });
    expect(read).toMatchObject({
      ok: true,
      context: { country: "GB", timezone: "Europe/London", consent: { source: "web_form", ip: "1.2.3.4" } },
    });
    expect(readContactContext({ timezone: "Nowhere/City" })).toEqual({
      ok: false,
      reason: expect.stringContaining("variables.timezone") as string,
    });
    expect(readContactContext({ sms_consent: { granted_at: "2025-01-01T00:00:00Z" } })).toEqual({
      ok: false,
      reason: expect.stringContaining("sms_consent.source") as string,
    });
  });

  it("marketing needs opt-in, quiet hours and the cap; transactional none; customer service quiet hours only", () => {
    expect(rulesFor(MessageCategory.MARKETING)).toMatchObject({
      needsOptIn: true,
      quietHours: true,
      frequencyCap: true,
    });
    expect(rulesFor(MessageCategory.TRANSACTIONAL)).toMatchObject({
      needsOptIn: false,
      quietHours: false,
      frequencyCap: false,
    });
    expect(rulesFor(MessageCategory.OPERATIONAL)).toMatchObject({
      name: "customer_service",
      needsOptIn: false,
      quietHours: true,
      frequencyCap: false,
    });
  });
});
