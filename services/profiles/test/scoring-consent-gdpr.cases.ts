import { describe, expect, it } from "vitest";
import { Channel, ConsentStatus, EventType, ScoreKind, SystemEvents, type ScoreChanged } from "@cascade/contracts";
import { eventually } from "@cascade/testing";
import { ENGAGEMENT_SATURATION } from "../src/index.js";
import { uid, type ContactView, type ProfilesHarness } from "./profiles-test-kit.js";

/** The tables that hold per-contact rows; erasure must leave none for the contact. */
const CONTACT_TABLES = ["contacts", "identities", "event_counters", "contact_events", "consents", "consent_evidence"];

/** Cases run by profiles.int-spec.ts on its shared platform (one platform per file keeps the suite fast). */
export function describeScoresConsentGdpr(h: ProfilesHarness): void {
  describe("profiles scores, consent and GDPR (real Kafka + PostgreSQL)", () => {
    const scoreChanges = (contactId: string, kind: ScoreKind): ScoreChanged[] =>
      h.changes.flatMap((c) =>
        c.contactId === contactId && c.change.case === "scoreChanged" && c.change.value.score === kind
          ? [c.change.value]
          : [],
      );

    it("scores leads by the default rules and engagement by the documented formula, publishing score changes", async () => {
      const user = uid("lead");
      const at = new Date(Date.now() - 1000);
      await h.publish(
        { type: EventType.PAGE, userId: user, timestamp: at },
        { event: SystemEvents.EmailOpened, userId: user, timestamp: at },
        { event: "content_download", userId: user, timestamp: at },
        { event: "Signed Up", userId: user, timestamp: at },
      );
      const contact = await h.waitForContact(user, (c) => c.eventCount === 4);
      expect(contact.scores.lead).toBe(13);
      // page view weight 1 + email open weight 1, both at `at`: 1 - exp(-2 / S), barely decayed since.
      expect(contact.scores.engagement).toBeCloseTo(1 - Math.exp(-2 / ENGAGEMENT_SATURATION), 3);

      await h.waitForChanges(user, (c) => c.change.case === "scoreChanged", 5);
      expect(scoreChanges(user, ScoreKind.LEAD).map((s) => [s.previous, s.current, s.reason])).toEqual([
        [0, 1, "rule:page_view"],
        [1, 3, "rule:email_opened"],
        [3, 13, "rule:content_download"],
      ]);
      const engagement = scoreChanges(user, ScoreKind.ENGAGEMENT);
      expect(engagement.map((s) => s.reason)).toEqual(["event:page_view", "event:email_opened"]);
      expect(engagement[1]!.current).toBeCloseTo(1 - Math.exp(-2 / ENGAGEMENT_SATURATION), 4);
      const last = h.changes.filter((c) => c.contactId === user).at(-1)!;
      expect(last.state).toMatchObject({ userId: user, leadScore: 13 });
    });

    it("uses the workspace's own lead-scoring rules once set, and validates them", async () => {
      const invalid = await h.api("/api/lead-scoring/rules", {
        method: "PUT",
        body: JSON.stringify({
          rules: [
            { event: "x", points: "ten" },
            { event: "", points: 1 },
          ],
        }),
      });
      expect(invalid.status).toBe(400);
      const message = ((await invalid.json()) as { message: string }).message;
      expect(message).toContain("rules.0.points");
      expect(message).toContain("rules.1.event");
      expect(await (await h.api("/api/lead-scoring/rules")).json()).toMatchObject({ isDefault: true });

      const put = await h.api("/api/lead-scoring/rules", {
        method: "PUT",
        body: JSON.stringify({
          rules: [
            { event: "Demo Requested", points: 25 },
            { event: "unsubscribed", points: -5 },
          ],
        }),
      });
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({
        isDefault: false,
        rules: [
          { event: "Demo Requested", points: 25 },
          { event: "unsubscribed", points: -5 },
        ],
      });

      const user = uid("demo");
      await h.publish(
        { type: EventType.PAGE, userId: user },
        { event: "Demo Requested", userId: user },
        { event: "unsubscribed", userId: user },
      );
      const contact = await h.waitForContact(user, (c) => c.eventCount === 3);
      expect(contact.scores.lead).toBe(20); // page_view no longer scores

      const unauthorized = await fetch(`${h.platform.url}/api/lead-scoring/rules`, { method: "PUT", body: "{}" });
      expect(unauthorized.status).toBe(401);
    });

    it("keeps consent per channel with its evidence; the latest statement by event time wins", async () => {
      const user = uid("consent");
      const base = Date.now() - 60 * 60_000;
      const t = (minutes: number): Date => new Date(base + minutes * 60_000);
      const [identify, unsubscribe] = await h.publish(
        {
          type: EventType.IDENTIFY,
          userId: user,
          traits: { name: "Cy", consent: { email: { status: "granted", source: "signup_form" }, sms: true } },
          timestamp: t(0),
        },
        { event: SystemEvents.EmailUnsubscribed, userId: user, timestamp: t(10) },
        // An older statement arriving late: evidence only.
        {
          event: "consent_granted",
          userId: user,
          properties: { channel: "email", source: "crm_import" },
          timestamp: t(5),
        },
        { event: SystemEvents.SmsOptedOut, userId: user, properties: { source: "STOP" }, timestamp: t(20) },
        {
          event: "consent_granted",
          userId: user,
          properties: { channel: "push", source: "app_prompt" },
          timestamp: t(30),
        },
      );
      const contact = await h.waitForContact(user, (c) => c.eventCount === 5);
      expect(contact.traits).toEqual({ name: "Cy" });
      expect(contact.consent).toEqual({
        email: {
          status: "denied",
          source: "unsubscribe_link",
          updatedAt: t(10).toISOString(),
          messageId: unsubscribe!.envelope!.id,
        },
        sms: { status: "denied", source: "STOP", updatedAt: t(20).toISOString(), messageId: expect.any(String) },
        push: {
          status: "granted",
          source: "app_prompt",
          updatedAt: t(30).toISOString(),
          messageId: expect.any(String),
        },
      });

      const changes = await h.waitForChanges(user, (c) => c.change.case === "consentChanged", 5);
      const consentChanges = changes.map((c) => (c.change.case === "consentChanged" ? c.change.value : undefined));
      expect(consentChanges.map((c) => [c!.consent!.channel, c!.previousStatus, c!.consent!.status])).toEqual([
        [Channel.EMAIL, ConsentStatus.UNSPECIFIED, ConsentStatus.GRANTED],
        [Channel.SMS, ConsentStatus.UNSPECIFIED, ConsentStatus.GRANTED],
        [Channel.EMAIL, ConsentStatus.GRANTED, ConsentStatus.DENIED],
        [Channel.SMS, ConsentStatus.GRANTED, ConsentStatus.DENIED],
        [Channel.PUSH, ConsentStatus.UNSPECIFIED, ConsentStatus.GRANTED],
      ]);
      expect(changes[0]!.causeMessageId).toBe(identify!.envelope!.id);

      const exported = (await (await h.api(`/api/contacts/${user}/export`)).json()) as {
        consentEvidence: Array<{ channel: string; status: string; source: string }>;
      };
      expect(exported.consentEvidence.filter((e) => e.channel === "email").map((e) => [e.status, e.source])).toEqual([
        ["granted", "signup_form"],
        ["granted", "crm_import"],
        ["denied", "unsubscribe_link"],
      ]);
    });

    it("exports everything it holds about a contact as JSON", async () => {
      const anon = uid("anon");
      const user = uid("export");
      const [page] = await h.publish({ type: EventType.PAGE, anonymousId: anon, properties: { path: "/blog" } });
      await h.waitForContact(anon, (c) => c.eventCount === 1);
      await h.publish({
        type: EventType.IDENTIFY,
        userId: user,
        anonymousId: anon,
        traits: { email: "x@example.com" },
      });
      await h.waitForContact(user, (c) => c.eventCount === 2);

      const response = await h.api(`/api/contacts/${anon}/export`);
      expect(response.status).toBe(200);
      const exported = (await response.json()) as {
        format: string;
        contact: ContactView;
        events: Array<{ messageId: string; event: string; properties: unknown }>;
      };
      expect(exported.format).toBe("cascade.profiles.export.v1");
      expect(exported.contact).toMatchObject({
        contactId: user,
        userId: user,
        anonymousIds: [anon],
        traits: { email: "x@example.com" },
        mergedFrom: [anon],
      });
      expect(exported.events.map((e) => e.event)).toEqual(expect.arrayContaining(["identify", "page_view"]));
      expect(exported.events.find((e) => e.messageId === page!.envelope!.id)?.properties).toEqual({ path: "/blog" });

      expect((await h.api(`/api/contacts/${uid("nobody")}/export`)).status).toBe(404);
    });

    it("erases a contact: its rows everywhere here, and a ContactErased for every id it was known by", async () => {
      const anon = uid("anon");
      const user = uid("erase");
      await h.publish({ type: EventType.PAGE, anonymousId: anon });
      await h.waitForContact(anon, (c) => c.eventCount === 1);
      await h.publish(
        {
          type: EventType.IDENTIFY,
          userId: user,
          anonymousId: anon,
          traits: { email: "gone@example.com", consent: { email: true } },
        },
        { event: SystemEvents.EmailOpened, userId: user },
      );
      await h.waitForContact(user, (c) => c.eventCount === 3);

      // Let the relay publish the contact's changes first: erasure removes published copies, not pending ones.
      const dataSource = h.platform.database.dataSource;
      await eventually(async () => {
        const pending = (await dataSource.query(
          `SELECT count(*)::int AS n FROM profiles.outbox WHERE key = $1 AND published_at IS NULL`,
          [`${h.platform.workspaceId}:${user}`],
        )) as Array<{ n: number }>;
        return pending[0]!.n === 0 ? true : undefined;
      });

      const response = await h.api(`/api/contacts/${user}?requestedBy=dpo&reason=gdpr-request-42`, {
        method: "DELETE",
      });
      expect(response.status).toBe(202);
      const result = (await response.json()) as { contactId: string; erasedIds: string[] };
      expect(result.contactId).toBe(user);
      expect(result.erasedIds.sort()).toEqual([anon, user].sort());

      for (const id of [user, anon]) {
        const [erased] = await h.waitForChanges(id, (c) => c.change.case === "erased");
        expect(erased!.change.value).toMatchObject({ requestedBy: "dpo", reason: "gdpr-request-42" });
        expect(erased!.state).toBeUndefined();
      }
      expect(await h.contact(user)).toBeUndefined();
      expect(await h.contact(anon)).toBeUndefined();
      for (const table of CONTACT_TABLES) {
        const column = table === "identities" ? "value" : "contact_id";
        const rows = (await dataSource.query(
          `SELECT count(*)::int AS n FROM profiles.${table} WHERE workspace_id = $1 AND (contact_id = ANY($2) OR ${column} = ANY($2))`,
          [h.platform.workspaceId, [user, anon]],
        )) as Array<{ n: number }>;
        expect({ table, rows: rows[0]!.n }).toEqual({ table, rows: 0 });
      }

      const copies = (await dataSource.query(
        `SELECT count(*)::int AS n FROM profiles.outbox WHERE position(convert_to('gone@example.com', 'UTF8') in value) > 0 AND key LIKE $1`,
        [`${h.platform.workspaceId}:%`],
      )) as Array<{ n: number }>;
      expect(copies[0]!.n).toBe(0); // no published change still holds the erased traits

      // Idempotent: erasing again finds nothing here and tells the other services again.
      const again = await h.api(`/api/contacts/${user}`, { method: "DELETE" });
      expect(again.status).toBe(202);
      expect(await again.json()).toEqual({ contactId: null, erasedIds: [user] });
      await h.waitForChanges(user, (c) => c.change.case === "erased", 2);

      // A later event for the same id starts a fresh contact.
      await h.publish({ event: "Came Back", userId: user });
      const fresh = await h.waitForContact(user, (c) => c.eventCount === 1);
      expect(fresh).toMatchObject({ traits: {}, anonymousIds: [], mergedFrom: [], consent: {} });
    });

    it("refuses the admin API without the admin key", async () => {
      const response = await fetch(`${h.platform.url}/api/contacts/anyone`);
      expect(response.status).toBe(401);
      const wrong = await fetch(`${h.platform.url}/api/contacts/anyone`, {
        method: "DELETE",
        headers: { authorization: "Bearer nope" },
      });
      expect(wrong.status).toBe(401);
    });
  });
}
