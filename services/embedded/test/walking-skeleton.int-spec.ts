import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, EventSchema, EventType, newEnvelope, timestampNow, Topics } from "@cascade/contracts";
import { ingestService } from "@cascade/services/ingest";
import { profilesService } from "@cascade/services/profiles";
import { basicAuth, eventually, postJson, startTestPlatform, type TestPlatform } from "@cascade/testing";

interface ContactBody {
  contactId: string;
  eventCount: number;
  lastEvent: string;
}

describe.each(["kafka", "embedded"] as const)(
  "walking skeleton on the %s bus: tracking API → events.v1 → profiles ledger",
  (mode) => {
    let platform: TestPlatform;

    beforeAll(async () => {
      platform = await startTestPlatform({ services: [ingestService, profilesService], mode });
    });
    afterAll(async () => {
      await platform?.close();
    });

    const contact = async (id: string): Promise<ContactBody | undefined> => {
      const response = await fetch(`${platform.url}/api/contacts/${id}`, {
        headers: { authorization: `Bearer ${platform.workspace.adminKey}` },
      });
      return response.status === 200 ? ((await response.json()) as ContactBody) : undefined;
    };

    it("records a tracked event against its contact", async () => {
      const response = await postJson(
        `${platform.url}/v1/track`,
        { userId: "alice", event: "Signed Up" },
        { authorization: basicAuth(platform.workspace.writeKey) },
      );
      expect(response.status).toBe(200);
      const alice = await eventually(async () => contact("alice"));
      expect(alice).toMatchObject({ contactId: "alice", eventCount: 1, lastEvent: "Signed Up" });
    });

    it("counts a redelivered message once (processed-messages ledger)", async () => {
      const event = create(EventSchema, {
        envelope: newEnvelope(platform.workspaceId),
        type: EventType.TRACK,
        event: "Viewed Pricing",
        contactId: "bob",
        userId: "bob",
        timestamp: timestampNow(),
      });
      await platform.bus.publish(Topics.EventsV1, [{ value: event }, { value: event }]);
      const marker = create(EventSchema, { ...event, envelope: newEnvelope(platform.workspaceId), event: "Marker" });
      await platform.bus.publish(Topics.EventsV1, [{ value: marker }]);
      const bob = await eventually(async () => {
        const current = await contact("bob");
        return current?.lastEvent === "Marker" ? current : undefined;
      });
      expect(bob.eventCount).toBe(2);
    });

    it("refuses an unknown write key and an invalid body, and nothing is recorded", async () => {
      const forged = await postJson(
        `${platform.url}/v1/track`,
        { userId: "mallory", event: "x" },
        { authorization: basicAuth("wk_forged") },
      );
      expect(forged.status).toBe(401);
      const invalid = await postJson(
        `${platform.url}/v1/track`,
        { userId: "mallory" },
        { authorization: basicAuth(platform.workspace.writeKey) },
      );
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { message: string }).message).toContain("event");
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await contact("mallory")).toBeUndefined();
    });
  },
);
