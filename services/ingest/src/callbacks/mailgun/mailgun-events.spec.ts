import { describe, expect, it } from "vitest";
import { SystemEvents } from "@cascade/contracts";
import { mapMailgunEvent } from "./mailgun-events.js";
import { verifyMailgunSignature } from "./mailgun-signature.js";
import { hmacSha256Hex } from "../../http/signatures.js";

const failed = (severity: string) => ({
  id: "evt-1",
  event: "failed",
  severity,
  timestamp: 1_700_000_000.5,
  recipient: "ann@example.com",
  "delivery-status": { code: 550, description: "mailbox does not exist" },
  message: { headers: { "message-id": "<abc@mg.example.com>" } },
  "user-variables": { cascade_workspace: "acme", cascade_contact_id: "c-1", cascade_idempotency_key: "run1:node2" },
});

describe("mapMailgunEvent", () => {
  it("maps permanent and temporary failures to bounced (hard) and deferred (soft), with the correlation ids", () => {
    const hard = mapMailgunEvent(failed("permanent"), "default");
    expect(hard).toEqual({
      mapped: expect.objectContaining({
        workspaceId: "acme",
        contactId: "c-1",
        event: SystemEvents.EmailBounced,
        messageId: "mailgun:evt-1",
      }),
    });
    if (!("mapped" in hard)) throw new Error("unreachable");
    expect(hard.mapped.properties).toMatchObject({
      bounce_type: "hard",
      provider_message_id: "<abc@mg.example.com>",
      idempotency_key: "run1:node2",
      reason: "mailbox does not exist",
      delivery_status_code: 550,
      email: "ann@example.com",
    });
    expect(hard.mapped.timestamp?.getTime()).toBe(1_700_000_000_500);
    const soft = mapMailgunEvent(failed("temporary"), "default");
    expect(
      "mapped" in soft &&
        soft.mapped.event === SystemEvents.EmailDeferred &&
        soft.mapped.properties.bounce_type === "soft",
    ).toBe(true);
  });

  it("falls back to the default workspace and the recipient, and ignores events it does not record", () => {
    const delivered = mapMailgunEvent({ event: "delivered", recipient: "bob@example.com" }, "default");
    expect(delivered).toMatchObject({
      mapped: { workspaceId: "default", contactId: "bob@example.com", event: SystemEvents.EmailDelivered },
    });
    expect(mapMailgunEvent({ event: "accepted", recipient: "bob@example.com" }, "default")).toHaveProperty("ignored");
    expect(
      mapMailgunEvent(
        { event: "delivered", recipient: "x@y", "user-variables": { cascade_workspace: "../evil" } },
        "default",
      ),
    ).toHaveProperty("ignored");
  });
});

describe("verifyMailgunSignature", () => {
  it("accepts HMAC-SHA256(timestamp + token) with the signing key and nothing else", () => {
    const signature = hmacSha256Hex("key-1", "1700000000tok");
    expect(verifyMailgunSignature("key-1", { timestamp: "1700000000", token: "tok", signature })).toBe(true);
    expect(verifyMailgunSignature("key-2", { timestamp: "1700000000", token: "tok", signature })).toBe(false);
    expect(verifyMailgunSignature("key-1", { timestamp: "1700000001", token: "tok", signature })).toBe(false);
    expect(verifyMailgunSignature("key-1", { timestamp: "1700000000", token: "tok" })).toBe(false);
  });
});
