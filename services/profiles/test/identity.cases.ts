import { describe, expect, it } from "vitest";
import { EventType, Topics } from "@cascade/contracts";
import { uid, type ProfilesHarness } from "./profiles-test-kit.js";

/** Cases run by profiles.int-spec.ts on its shared platform (one platform per file keeps the suite fast). */
export function describeIdentityResolution(h: ProfilesHarness): void {
  describe("profiles identity resolution (real Kafka + PostgreSQL)", () => {
    it("merges an anonymous visitor's history into the known contact on identify, and later anonymous events land there", async () => {
      const anon = uid("anon");
      const user = uid("alice");
      await h.publish(
        { type: EventType.PAGE, anonymousId: anon, properties: { path: "/pricing" } },
        { type: EventType.PAGE, anonymousId: anon },
      );
      await h.waitForContact(anon, (c) => c.eventCount === 2);

      await h.publish({
        type: EventType.IDENTIFY,
        userId: user,
        anonymousId: anon,
        traits: { name: "Alice", email: "alice@example.com" },
      });
      const alice = await h.waitForContact(user, (c) => c.eventCount === 3);
      expect(alice).toMatchObject({
        contactId: user,
        userId: user,
        anonymousIds: [anon],
        mergedFrom: [anon],
        lastEvent: "identify",
      });
      expect(alice.traits).toEqual({ name: "Alice", email: "alice@example.com" });
      expect(alice.scores.lead).toBe(2); // two page views at the default +1
      expect(alice.counters.page_view?.count).toBe(2);
      // The anonymous id now names the known contact; its own row is gone.
      expect((await h.contact(anon))?.contactId).toBe(user);

      const [merged] = await h.waitForChanges(user, (c) => c.change.case === "merged");
      expect(merged!.change.value).toMatchObject({ mergedFrom: [anon] });
      expect(merged!.state?.anonymousIds).toEqual([anon]);
      expect(merged!.state?.userId).toBe(user);

      await h.publish({ event: "Viewed Docs", anonymousId: anon });
      const after = await h.waitForContact(user, (c) => c.eventCount === 4);
      expect(after.lastEvent).toBe("Viewed Docs");
    });

    it("creates no duplicates when events and identify calls are replayed", async () => {
      const anon = uid("anon");
      const user = uid("bob");
      await h.publish({ type: EventType.PAGE, anonymousId: anon });
      await h.waitForContact(anon, (c) => c.eventCount === 1);
      const [identify] = await h.publish({
        type: EventType.IDENTIFY,
        userId: user,
        anonymousId: anon,
        traits: { plan: "free" },
      });
      await h.waitForContact(user, (c) => c.eventCount === 2);

      // The same message redelivered (same envelope id) and the same identify call sent again (new envelope id).
      await h.platform.bus.publish(Topics.EventsV1, [{ value: identify! }, { value: identify! }]);
      const [, marker] = await h.publish(
        { type: EventType.IDENTIFY, userId: user, anonymousId: anon, traits: { plan: "free" } },
        { type: EventType.PAGE, userId: user },
      );
      // The marker's score change comes after every earlier change of the contact (one key, one partition, outbox order).
      await h.waitForChanges(user, (c) => c.causeMessageId === marker!.envelope!.id);
      const bob = await h.waitForContact(user, (c) => c.eventCount === 4);
      expect(bob.lastEvent).toBe("page_view"); // page, identify, identify again, page: the redelivery counted once
      expect(bob.mergedFrom).toEqual([anon]);
      expect(bob.identities.map((i) => `${i.kind}:${i.value}`).sort()).toEqual([`anonymous:${anon}`, `user:${user}`]);
      expect(h.changes.filter((c) => c.contactId === user && c.change.case === "merged")).toHaveLength(1);
      expect(h.changes.filter((c) => c.contactId === user && c.change.case === "created")).toHaveLength(1);
      // The second identify changed no trait, so it published no traits change.
      expect(h.changes.filter((c) => c.contactId === user && c.change.case === "traitsChanged")).toHaveLength(1);
    });

    it("follows alias chains: anonymous → user 1 → user 2, and an unseen previous id", async () => {
      const anon = uid("anon");
      const first = uid("u1");
      const second = uid("u2");
      const legacy = uid("crm");
      await h.publish({ type: EventType.PAGE, anonymousId: anon });
      await h.waitForContact(anon, (c) => c.eventCount === 1);
      await h.publish({ type: EventType.IDENTIFY, userId: first, anonymousId: anon, traits: { name: "Old" } });
      await h.waitForContact(first, (c) => c.eventCount === 2);
      await h.publish({ event: "content_download", userId: second });
      await h.waitForContact(second, (c) => c.eventCount === 1);

      await h.publish({ type: EventType.ALIAS, userId: second, previousId: first });
      const merged = await h.waitForContact(second, (c) => c.eventCount === 4);
      expect(merged.mergedFrom.sort()).toEqual([anon, first].sort());
      expect(merged.anonymousIds).toEqual([anon]);
      expect(merged.traits).toEqual({ name: "Old" });
      expect(merged.scores.lead).toBe(11); // page_view +1, content_download +10

      // Later events under either old id reach the surviving contact.
      await h.publish({ event: "Clicked", userId: first }, { event: "Scrolled", anonymousId: anon });
      await h.waitForContact(second, (c) => c.eventCount === 6);
      expect((await h.contact(first))?.contactId).toBe(second);

      // An alias from an id never seen before links it; events under it then land on the same contact.
      await h.publish({ type: EventType.ALIAS, userId: second, previousId: legacy });
      await h.waitForContact(second, (c) => c.identities.some((i) => i.value === legacy));
      await h.publish({ event: "Imported", userId: legacy });
      const final = await h.waitForContact(second, (c) => c.lastEvent === "Imported");
      expect(final.eventCount).toBe(8);
      expect(await h.contact(legacy)).toMatchObject({ contactId: second });
    });

    it("is indifferent to order across partitions: an anonymous event processed after the identify lands on the known contact", async () => {
      const anon = uid("anon");
      const user = uid("carol");
      await h.publish({ type: EventType.IDENTIFY, userId: user, anonymousId: anon });
      await h.waitForContact(user, (c) => c.eventCount === 1);
      await h.publish({ type: EventType.PAGE, anonymousId: anon });
      const carol = await h.waitForContact(user, (c) => c.eventCount === 2);
      expect(carol.mergedFrom).toEqual([]);
      expect(h.changes.some((c) => c.contactId === anon)).toBe(false);
    });

    it("does not merge two known users who shared a device", async () => {
      const anon = uid("anon");
      const first = uid("dan");
      const second = uid("eve");
      await h.publish({ type: EventType.IDENTIFY, userId: first, anonymousId: anon });
      await h.waitForContact(first, (c) => c.eventCount === 1);
      await h.publish({ type: EventType.IDENTIFY, userId: second, anonymousId: anon });
      const eve = await h.waitForContact(second, (c) => c.eventCount === 1);
      expect(eve.mergedFrom).toEqual([]);
      expect(eve.anonymousIds).toEqual([]);
      expect(await h.contact(first)).toMatchObject({ contactId: first, anonymousIds: [anon] });
    });
  });
}
