import { describe, expect, it } from "vitest";
import { SystemEvents } from "@cascade/contracts";
import { keywordOf, mapTwilioInbound, mapTwilioStatus } from "./twilio-messages.js";

describe("Twilio callbacks", () => {
  it("recognises the opt-out, opt-in and help keywords only as the whole message", () => {
    expect(keywordOf(" stop ")).toBe("opt_out");
    expect(keywordOf("Unsubscribe.")).toBe("opt_out");
    expect(keywordOf("START")).toBe("opt_in");
    expect(keywordOf("help")).toBe("help");
    expect(keywordOf("please stop texting me")).toBeUndefined();
  });

  it("maps inbound keywords and ordinary texts to their events, keyed by the sender unless a contact is given", () => {
    const inbound = (Body: string) =>
      mapTwilioInbound({ From: "+15550001", To: "+15559999", Body, MessageSid: "SM1" }, { workspaceId: "acme" });
    expect(inbound("STOP")).toMatchObject({ mapped: { event: SystemEvents.SmsOptedOut, contactId: "+15550001" } });
    expect(inbound("yes")).toMatchObject({ mapped: { event: SystemEvents.SmsOptedIn } });
    expect(inbound("INFO")).toMatchObject({ mapped: { event: SystemEvents.SmsHelpRequested } });
    expect(inbound("What time do you open?")).toMatchObject({
      mapped: { event: SystemEvents.SmsReceived, properties: { body: "What time do you open?" } },
    });
  });

  it("records delivered and failed statuses with the correlation key and ignores intermediate ones", () => {
    const target = { workspaceId: "acme", contactId: "c-9", idempotencyKey: "run:node" };
    expect(mapTwilioStatus({ MessageSid: "SM2", MessageStatus: "delivered", To: "+1" }, target)).toMatchObject({
      mapped: {
        event: SystemEvents.SmsDelivered,
        contactId: "c-9",
        messageId: "twilio:SM2:delivered",
        properties: { idempotency_key: "run:node" },
      },
    });
    expect(
      mapTwilioStatus({ MessageSid: "SM2", MessageStatus: "undelivered", ErrorCode: "30003" }, target),
    ).toMatchObject({
      mapped: { event: SystemEvents.SmsFailed, properties: { error_code: "30003" } },
    });
    expect(mapTwilioStatus({ MessageSid: "SM2", MessageStatus: "sent" }, target)).toHaveProperty("ignored");
  });
});
