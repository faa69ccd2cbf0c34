import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  create,
  newEnvelope,
  OutcomeStatus,
  ProfileChangeSchema,
  SocialPlatform,
  SocialRequestSchema,
  SystemEvents,
  timestampFromDate,
  Topics,
  type Event,
  type MessageInitShape,
  type SocialRequest,
} from "@cascade/contracts";
import { ManualClock } from "@cascade/compliance";
import type { Subscription } from "@cascade/bus";
import { eventually, startTestPlatform, uniqueName, type TestPlatform, OutcomeCollector } from "@cascade/testing";
import {
  createChannelSocialService,
  PollEngagementUseCase,
  PollMentionsUseCase,
  SocialBackgroundWorker,
} from "../src/index.js";
import { FakeSocialPlatforms } from "./fake-social-platforms.js";

const NOON_UTC = new Date("2030-01-15T12:00:00Z");
const HOUR = 3_600_000;

// One platform for the whole service suite: two test platforms of one service running in parallel would share
// the channel_social.outbox table, and each one's relay would publish the other's outcomes to its own topics.
describe("channel-social on the real broker and PostgreSQL, four platform APIs on 127.0.0.1", () => {
  const fake = new FakeSocialPlatforms();
  const outcomes = new OutcomeCollector();
  const clock = new ManualClock(NOON_UTC);
  let platform: TestPlatform;
  let worker: SocialBackgroundWorker;
  const events: Event[] = [];
  let eventsSubscription: Subscription;

  beforeAll(async () => {
    await fake.start();
    const c = fake.credentials;
    platform = await startTestPlatform({
      services: [createChannelSocialService({ clock })],
      env: {
        X_ACCESS_TOKEN: c.xToken,
        X_BASE_URL: fake.url,
        X_USER_ID: c.xUserId,
        SOCIAL_ENGAGEMENT_POLL_MS: "600000",
        SOCIAL_MENTIONS_POLL_MS: "600000",
        SOCIAL_CRISIS_MIN_MENTIONS: "4",
        FACEBOOK_PAGE_ID: c.pageId,
        FACEBOOK_PAGE_ACCESS_TOKEN: c.pageToken,
        FACEBOOK_BASE_URL: fake.url,
        INSTAGRAM_USER_ID: c.igUserId,
        INSTAGRAM_ACCESS_TOKEN: c.igToken,
        INSTAGRAM_BASE_URL: fake.url,
        INSTAGRAM_CONTAINER_POLL_MS: "20",
        LINKEDIN_ACCESS_TOKEN: c.linkedInToken,
        LINKEDIN_ORGANIZATION_URN: c.organizationUrn,
        LINKEDIN_BASE_URL: fake.url,
        SOCIAL_INSTAGRAM_POSTS_PER_DAY: "2",
        SOCIAL_DEFERRED_POLL_MS: "600000",
        SOCIAL_RETRY_DELAY_MS: "1000",
      },
    });
    worker = platform.app.get(SocialBackgroundWorker);
    await outcomes.start(platform.bus);
    eventsSubscription = await platform.bus.subscribe({
      group: uniqueName("events-reader"),
      topic: Topics.EventsV1,
      fromBeginning: true,
      handler: async (message) => {
        events.push(message.value);
        return "processed";
      },
    });
    // The consumer group's first join can take a while on a busy broker: wait for one post before the tests time anything.
    const warmUp = create(SocialRequestSchema, {
      envelope: newEnvelope(platform.workspaceId),
      idempotencyKey: uniqueName("warm-up"),
      contactId: "warm-up",
      platforms: [SocialPlatform.FACEBOOK],
      text: "warm-up",
    });
    await platform.bus.publish(Topics.ChannelSocialRequestsV1, [{ value: warmUp }]);
    await outcomes.waitFor(`${warmUp.idempotencyKey}:facebook`, OutcomeStatus.SENT, 90_000);
  });
  afterAll(async () => {
    await eventsSubscription?.close();
    await outcomes.close();
    await platform?.close();
    await fake.close();
  });

  const request = (fields: Omit<MessageInitShape<typeof SocialRequestSchema>, "$typeName">): SocialRequest =>
    create(SocialRequestSchema, {
      envelope: newEnvelope(platform.workspaceId, clock.now()),
      idempotencyKey: uniqueName("key"),
      runId: "run-1",
      nodeId: "social-1",
      workflowId: "wf-1",
      contactId: uniqueName("contact"),
      ...fields,
    });
  const post = (...requests: SocialRequest[]): Promise<void> =>
    platform.bus.publish(
      Topics.ChannelSocialRequestsV1,
      requests.map((value) => ({ value })),
    );
  const redeliver = (original: SocialRequest): Promise<void> =>
    post(create(SocialRequestSchema, { ...original, envelope: newEnvelope(platform.workspaceId) }));
  // LinkedIn text arrives escaped (little text), so compare without backslashes.
  const postsWith = (text: string): number =>
    fake.received.filter((received) => received.text.replaceAll("\\", "").includes(text)).length;

  it("posts one request to X, Facebook and LinkedIn with a per-platform text, one outcome per platform, never twice", async () => {
    const tag = uniqueName("launch");
    const launch = request({
      platforms: [SocialPlatform.X, SocialPlatform.FACEBOOK, SocialPlatform.LINKEDIN],
      text: `We launched (finally) ${tag} #Cascade_2030 https://cascade.example/launch`,
      platformTexts: [{ platform: SocialPlatform.X, text: `Launched 🚀 ${tag}` }],
    });
    await post(launch);
    const [x, facebook, linkedin] = await Promise.all(
      ["x", "facebook", "linkedin"].map((name) =>
        outcomes.waitFor(`${launch.idempotencyKey}:${name}`, OutcomeStatus.SENT),
      ),
    );
    expect(x).toMatchObject({
      provider: "x",
      contactId: launch.contactId,
      runId: "run-1",
      nodeId: "social-1",
      details: { platform: "x" },
    });
    expect(x?.providerMessageId).toMatch(/^\d+$/);
    expect(facebook?.providerMessageId).toMatch(new RegExp(`^${fake.credentials.pageId}_`));
    expect(linkedin?.providerMessageId).toMatch(/^urn:li:share:/);
    expect(
      fake
        .postsOn("x")
        .filter((p) => p.text.includes(tag))
        .map((p) => p.text),
    ).toEqual([`Launched 🚀 ${tag}`]);
    expect(fake.postsOn("facebook").find((p) => p.text.includes(tag))?.text).toBe(launch.text);
    // LinkedIn little text: markup characters escaped, the hashtag kept as a hashtag template.
    const onLinkedIn = fake.postsOn("linkedin").find((p) => p.text.replaceAll("\\", "").includes(tag));
    expect(onLinkedIn?.text).toContain("We launched \\(finally\\)");
    expect(onLinkedIn?.text).toContain("{hashtag|\\#|Cascade_2030}");
    expect(onLinkedIn?.version).toBe("202411");

    // A redelivery (same key, new message id) posts nothing anywhere.
    await redeliver(launch);
    const marker = request({ platforms: [SocialPlatform.X], text: uniqueName("marker") });
    await post(marker);
    await outcomes.waitFor(`${marker.idempotencyKey}:x`, OutcomeStatus.SENT);
    expect(postsWith(tag)).toBe(3);
    expect(outcomes.forKey(`${launch.idempotencyKey}:x`)).toHaveLength(1);
  });

  it("fails a post over a platform's limits with the reason, before sending, while the other platforms post", async () => {
    const tag = uniqueName("long");
    const long = request({
      platforms: [SocialPlatform.X, SocialPlatform.LINKEDIN, SocialPlatform.INSTAGRAM, SocialPlatform.MASTODON],
      text: `${tag} ${"a".repeat(300)}`,
    });
    await post(long);
    const tooLong = await outcomes.waitFor(`${long.idempotencyKey}:x`, OutcomeStatus.FAILED);
    expect(tooLong).toMatchObject({ reason: "text_too_long", provider: "x", details: { max_length: 280 } });
    expect(String(tooLong.details?.message)).toMatch(/^text: \d+ characters, x allows 280/);
    expect((await outcomes.waitFor(`${long.idempotencyKey}:instagram`, OutcomeStatus.FAILED)).reason).toBe(
      "media_required",
    );
    expect((await outcomes.waitFor(`${long.idempotencyKey}:mastodon`, OutcomeStatus.FAILED)).reason).toBe(
      "platform_not_supported",
    );
    await outcomes.waitFor(`${long.idempotencyKey}:linkedin`, OutcomeStatus.SENT);
    expect(fake.postsOn("x").filter((p) => p.text.includes(tag))).toHaveLength(0);
    expect(postsWith(tag)).toBe(1);
  });

  it("publishes an Instagram video (container, processing, media_publish) and a Facebook photo", async () => {
    const tag = uniqueName("reel");
    const reel = request({
      platforms: [SocialPlatform.INSTAGRAM, SocialPlatform.FACEBOOK],
      text: `Behind the scenes ${tag}`,
      mediaUrls: ["https://cdn.example/launch.mp4"],
    });
    await post(reel);
    await outcomes.waitFor(`${reel.idempotencyKey}:instagram`, OutcomeStatus.SENT);
    expect(fake.postsOn("instagram").find((p) => p.text.includes(tag))).toMatchObject({
      mediaType: "REELS",
      mediaUrl: "https://cdn.example/launch.mp4",
    });
    // Facebook takes images only through this adapter: the video post fails there with the reason.
    expect((await outcomes.waitFor(`${reel.idempotencyKey}:facebook`, OutcomeStatus.FAILED)).reason).toBe(
      "video_not_supported",
    );

    const photo = request({
      platforms: [SocialPlatform.FACEBOOK],
      text: `Photo ${tag}`,
      mediaUrls: ["https://cdn.example/team.jpg"],
    });
    await post(photo);
    await outcomes.waitFor(`${photo.idempotencyKey}:facebook`, OutcomeStatus.SENT);
    expect(fake.postsOn("facebook").find((p) => p.text === `Photo ${tag}`)?.mediaUrl).toBe(
      "https://cdn.example/team.jpg",
    );
  });

  it("schedules a post: DEFERRED per platform, durable, published when due, once", async () => {
    clock.set(NOON_UTC);
    const tag = uniqueName("scheduled");
    const later = request({
      platforms: [SocialPlatform.X, SocialPlatform.LINKEDIN],
      text: `Tomorrow's news ${tag}`,
      scheduledAt: timestampFromDate(new Date(NOON_UTC.getTime() + 2 * HOUR)),
    });
    await post(later);
    for (const name of ["x", "linkedin"]) {
      const deferred = await outcomes.waitFor(`${later.idempotencyKey}:${name}`, OutcomeStatus.DEFERRED);
      expect(deferred).toMatchObject({ reason: "scheduled", details: { deferred_until: "2030-01-15T14:00:00.000Z" } });
    }
    await worker.runOnce();
    expect(postsWith(tag)).toBe(0); // not yet due
    await redeliver(later); // neither posts nor schedules twice

    clock.set(new Date(NOON_UTC.getTime() + 2 * HOUR));
    await worker.runOnce();
    const sent = await outcomes.waitFor(`${later.idempotencyKey}:x`, OutcomeStatus.SENT);
    expect(sent.details).toMatchObject({ scheduled_at: "2030-01-15T14:00:00.000Z" });
    await outcomes.waitFor(`${later.idempotencyKey}:linkedin`, OutcomeStatus.SENT);
    expect(postsWith(tag)).toBe(2);
    await worker.runOnce();
    expect(postsWith(tag)).toBe(2);
    expect(
      outcomes.forKey(`${later.idempotencyKey}:x`).filter((o) => o.status === OutcomeStatus.DEFERRED),
    ).toHaveLength(1);
    clock.set(NOON_UTC);
  });

  it("on ContactErased drops the contact's pending own posts, keeps pending broadcasts unlinked, forgets the contact", async () => {
    clock.set(NOON_UTC);
    const contactId = uniqueName("erased");
    const tag = uniqueName("erasure");
    const at = timestampFromDate(new Date(NOON_UTC.getTime() + 2 * HOUR));
    const own = request({
      contactId,
      runId: "run-erased",
      idempotencyKey: `run-erased:${uniqueName("node")}`,
      platforms: [SocialPlatform.X],
      text: `Congrats on your launch ${tag}`,
      scheduledAt: at,
    });
    const broadcast = request({
      contactId,
      runId: "run-erased",
      idempotencyKey: `wf-1:v1:${uniqueName("node")}`,
      platforms: [SocialPlatform.X],
      text: `Launch day ${tag}`,
      scheduledAt: at,
    });
    const published = request({ contactId, platforms: [SocialPlatform.FACEBOOK], text: `Now ${tag}` });
    await post(own, broadcast, published);
    await outcomes.waitFor(`${own.idempotencyKey}:x`, OutcomeStatus.DEFERRED);
    await outcomes.waitFor(`${broadcast.idempotencyKey}:x`, OutcomeStatus.DEFERRED);
    await outcomes.waitFor(`${published.idempotencyKey}:facebook`, OutcomeStatus.SENT);

    await platform.bus.publish(Topics.ProfilesChangesV1, [
      {
        value: create(ProfileChangeSchema, {
          envelope: newEnvelope(platform.workspaceId),
          contactId,
          change: { case: "erased", value: { requestedBy: "api", reason: "gdpr" } },
        }),
      },
    ]);
    const query = (sql: string) => platform.database.dataSource.query(sql, [platform.workspaceId, contactId]);
    await eventually(async () =>
      (await query(`SELECT 1 FROM channel_social.send_ledger WHERE workspace_id = $1 AND contact_id = $2`)).length === 0
        ? true
        : undefined,
    );
    expect(
      await query(`SELECT 1 FROM channel_social.deferred_sends WHERE workspace_id = $1 AND contact_id = $2`),
    ).toEqual([]);
    expect(
      await query(`SELECT 1 FROM channel_social.social_posts WHERE workspace_id = $1 AND contact_id = $2`),
    ).toEqual([]);

    clock.set(new Date(NOON_UTC.getTime() + 2 * HOUR));
    await worker.runOnce();
    const sent = await outcomes.waitFor(`${broadcast.idempotencyKey}:x`, OutcomeStatus.SENT);
    expect(sent.contactId).toBe("erased");
    expect(postsWith(`Launch day ${tag}`)).toBe(1);
    expect(postsWith(`Congrats on your launch ${tag}`)).toBe(0);
    await redeliver(published); // the ledger kept the key: never posted twice
    await worker.runOnce();
    expect(postsWith(`Now ${tag}`)).toBe(1);
    clock.set(NOON_UTC);
  });

  it("retries a 429 later and sends once; a 5xx is FAILED send_state_unknown and never reposted", async () => {
    clock.set(NOON_UTC);
    fake.failures.set("x", [{ status: 429, message: "Too Many Requests" }]);
    const tag = uniqueName("retry");
    const retried = request({ platforms: [SocialPlatform.X], text: `Retry ${tag}` });
    await post(retried);
    expect((await outcomes.waitFor(`${retried.idempotencyKey}:x`, OutcomeStatus.DEFERRED)).reason).toBe(
      "provider_unavailable",
    );
    clock.advance(1_000);
    await worker.runOnce();
    await outcomes.waitFor(`${retried.idempotencyKey}:x`, OutcomeStatus.SENT);
    expect(postsWith(tag)).toBe(1);

    fake.failures.set("linkedin", [{ status: 503, message: "Service Unavailable" }]);
    const unknown = request({ platforms: [SocialPlatform.LINKEDIN], text: `Maybe ${tag}` });
    await post(unknown);
    const failed = await outcomes.waitFor(`${unknown.idempotencyKey}:linkedin`, OutcomeStatus.FAILED);
    expect(failed).toMatchObject({
      reason: "send_state_unknown",
      details: { ledger_state: "unknown", provider_reason: "linkedin_http_503" },
    });
    await redeliver(unknown);
    clock.advance(HOUR);
    await worker.runOnce();
    expect(outcomes.forKey(`${unknown.idempotencyKey}:linkedin`)).toHaveLength(1);
    clock.set(NOON_UTC);
  });

  it("holds posts over a platform's daily limit (Instagram: 2 here) until the window frees, then posts", async () => {
    // Ten days on, so earlier tests' posts are out of the 24-hour window.
    const start = new Date(NOON_UTC.getTime() + 240 * HOUR);
    clock.set(start);
    const tag = uniqueName("limit");
    const photos = [1, 2, 3].map((n) =>
      request({
        platforms: [SocialPlatform.INSTAGRAM],
        text: `${tag} #${n}`,
        mediaUrls: [`https://cdn.example/${n}.jpg`],
      }),
    );
    for (const photo of photos.slice(0, 2)) {
      await post(photo);
      await outcomes.waitFor(`${photo.idempotencyKey}:instagram`, OutcomeStatus.SENT);
    }
    clock.advance(HOUR);
    await post(photos[2] as SocialRequest);
    const held = await outcomes.waitFor(`${photos[2]?.idempotencyKey}:instagram`, OutcomeStatus.DEFERRED);
    expect(held).toMatchObject({
      reason: "platform_rate_limit",
      details: {
        posted_in_window: 2,
        max_per_day: 2,
        deferred_until: new Date(start.getTime() + 24 * HOUR).toISOString(),
      },
    });
    expect(postsWith(tag)).toBe(2);
    clock.set(new Date(start.getTime() + 24 * HOUR));
    await worker.runOnce();
    await outcomes.waitFor(`${photos[2]?.idempotencyKey}:instagram`, OutcomeStatus.SENT);
    expect(postsWith(tag)).toBe(3);
    clock.set(NOON_UTC);
  });

  const publish = async (platforms: SocialPlatform[], text: string): Promise<Map<string, string>> => {
    const request = create(SocialRequestSchema, {
      envelope: newEnvelope(platform.workspaceId, clock.now()),
      idempotencyKey: uniqueName("key"),
      contactId: "brand",
      platforms,
      text,
    });
    await platform.bus.publish(Topics.ChannelSocialRequestsV1, [{ value: request }]);
    const ids = new Map<string, string>();
    for (const name of ["x", "facebook"].filter((_, i) =>
      platforms.includes([SocialPlatform.X, SocialPlatform.FACEBOOK][i] as SocialPlatform),
    )) {
      ids.set(
        name,
        (await outcomes.waitFor(`${request.idempotencyKey}:${name}`, OutcomeStatus.SENT)).providerMessageId,
      );
    }
    return ids;
  };
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(`${platform.url}${path}`, {
      headers: { authorization: `Bearer ${platform.workspace.adminKey}` },
    });
    expect(response.status).toBe(200);
    return response.json();
  };

  it("listening: fetches engagement on a schedule into outcomes, only when it changed", async () => {
    const ids = await publish([SocialPlatform.X, SocialPlatform.FACEBOOK], "Engagement test #Launch #Cascade");
    const tweet = ids.get("x") ?? "";
    const pagePost = ids.get("facebook") ?? "";
    fake.engagement.set(tweet, { likes: 12, shares: 3, comments: 2 });
    fake.engagement.set(pagePost, { likes: 40, shares: 5, comments: 7 });
    const poll = platform.app.get(PollEngagementUseCase);
    expect((await poll.execute({ workspaceId: platform.workspaceId })).changed).toBe(2);
    const update = await outcomes.waitForWhere(
      (o) => o.providerMessageId === tweet && o.reason === "engagement_update",
    );
    expect(update).toMatchObject({
      status: OutcomeStatus.DELIVERED,
      provider: "x",
      details: { likes: 12, shares: 3, comments: 2 },
    });
    await outcomes.waitForWhere((o) => o.providerMessageId === pagePost && o.reason === "engagement_update");
    expect((await poll.execute({ workspaceId: platform.workspaceId })).changed).toBe(0); // unchanged: no new outcome
    expect(
      outcomes.outcomes.filter((o) => o.providerMessageId === tweet && o.reason === "engagement_update"),
    ).toHaveLength(1);

    // Hashtag suggestions rank the workspace's tags by (smoothed) engagement, leaving out those in the draft.
    await publish([SocialPlatform.FACEBOOK], "Quiet post #Weekly");
    await poll.execute({ workspaceId: platform.workspaceId });
    const { suggestions } = (await get(
      `/api/social/hashtag-suggestions?text=${encodeURIComponent("Draft #cascade")}`,
    )) as { suggestions: Array<{ hashtag: string; posts: number }> };
    expect(suggestions[0]).toMatchObject({ hashtag: "launch", posts: 2, meanEngagement: 34.5 });
    expect(suggestions.map((s) => s.hashtag)).toContain("weekly");
    expect(suggestions.map((s) => s.hashtag)).not.toContain("cascade");
  });

  it("listening: polls mentions into social_mentioned events with sentiment, thanks sharers once, escalates negatives, raises one crisis alert", async () => {
    const ids = await publish([SocialPlatform.X], "Our new release is out");
    const brandTweet = ids.get("x") ?? "";
    fake.mentions.push(
      {
        id: "1900000000000000001",
        text: "@cascade love this release, amazing work",
        authorId: "501",
        username: "fan_one",
        quotes: brandTweet,
        likes: 30,
      },
      {
        id: "1900000000000000002",
        text: "@cascade great update, thanks",
        authorId: "502",
        username: "fan_two",
        quotes: brandTweet,
        likes: 5,
      },
      {
        id: "1900000000000000003",
        text: "@cascade terrible outage, awful and broken",
        authorId: "503",
        username: "angry",
      },
    );
    const poll = platform.app.get(PollMentionsUseCase);
    expect(await poll.execute()).toEqual({ received: 3, escalated: 1, thanked: 2, crisis: false });

    const mentioned = await eventually(async () => {
      const found = events.filter((e) => e.event === SystemEvents.SocialMentioned);
      return found.length >= 3 ? found : undefined;
    });
    expect(mentioned.find((e) => e.properties?.mention_id === "1900000000000000003")).toMatchObject({
      contactId: "x:503",
      properties: { sentiment: "negative", author_handle: "angry" },
    });
    expect(mentioned.find((e) => e.properties?.mention_id === "1900000000000000001")?.properties).toMatchObject({
      sentiment: "positive",
      shared_post_id: brandTweet,
    });
    const thanks = fake.postsOn("x").filter((p) => p.inReplyTo);
    expect(thanks.map((p) => [p.inReplyTo, p.text]).sort()).toEqual([
      ["1900000000000000001", "Thanks for sharing, @fan_one!"],
      ["1900000000000000002", "Thanks for sharing, @fan_two!"],
    ]);
    expect((await outcomes.waitFor("reply:x:1900000000000000001", OutcomeStatus.SENT)).details).toMatchObject({
      rule: "thank_sharer",
    });
    const escalation = await outcomes.waitFor("mention:x:1900000000000000003", OutcomeStatus.ALERT);
    expect(escalation).toMatchObject({ reason: "negative_mention", contactId: "x:503" });

    // Polling again sees nothing new (cursor), and nobody is thanked twice.
    expect(await poll.execute()).toEqual({ received: 0, escalated: 0, thanked: 0, crisis: false });
    expect(fake.postsOn("x").filter((p) => p.inReplyTo)).toHaveLength(2);

    // Advocates: sharers ranked by the positive engagement their shares earned.
    const { advocates } = (await get("/api/social/advocates")) as {
      advocates: Array<{ contactId: string; positiveEngagement: number }>;
    };
    expect(advocates.map((a) => [a.contactId, a.positiveEngagement])).toEqual([
      ["x:501", 30],
      ["x:502", 5],
    ]);

    // A burst of negative mentions: 3 of the window's 6 are negative (50 %) > 3 × floor 5 % → one crisis alert.
    fake.mentions.push(
      { id: "1900000000000000004", text: "@cascade worst service ever, angry", authorId: "504", username: "c1" },
      { id: "1900000000000000005", text: "@cascade this is a disaster, horrible", authorId: "505", username: "c2" },
    );
    expect((await poll.execute()).crisis).toBe(true);
    const crisis = await outcomes.waitForWhere((o) => o.reason === "negative_mention_spike");
    expect(crisis).toMatchObject({
      status: OutcomeStatus.ALERT,
      details: { mentions_in_window: 5, negative_in_window: 3, factor: 3 },
    });
    fake.mentions.push({ id: "1900000000000000006", text: "@cascade awful, hate it", authorId: "506", username: "c3" });
    expect((await poll.execute()).crisis).toBe(false); // same window: not raised again
  });
});
