/**
 * channel-social end to end (channel.social.requests.v1 → ledger + constraint / schedule / rate-limit checks →
 * X publisher → outcome via outbox) vs the same X publisher posting to the same local X-API server directly, in
 * the same run, with the same concurrency (one in-flight post per partition, 3 partitions). 127.0.0.1 only.
 * The fake answers each post after --latency ms (default 20), roughly a real API's floor.
 *   npm run bench -- social-post [--posts 300] [--latency 20]
 * Needs the broker from scripts/kafka and PostgreSQL (DATABASE_URL, default cascade_test).
 */
import { create, newEnvelope, SocialPlatform, SocialRequestSchema, Topics } from "@cascade/contracts";
import { startTestPlatform, type TestPlatform } from "@cascade/testing";
import { createChannelSocialService } from "@cascade/services/channel-social";
import { randomUUID } from "node:crypto";
import { FakeSocialPlatforms } from "../services/channel-social/test/fake-social-platforms.js";
import { XPublisher } from "../services/channel-social/src/publishing/providers/x.provider.js";
import { callsPerSecond, deliveredPerSecond, flag, report } from "./_harness.js";

const total = flag("posts", 300);
const latencyMs = flag("latency", 20);
const partitions = 3;
const deadlineMs = 120_000;

async function direct(publisher: XPublisher): Promise<number> {
  return callsPerSecond(total, partitions, (i) =>
    publisher.publish({ text: `Baseline post ${i}`, media: [], reference: `baseline-${i}` }),
  );
}

async function throughChannel(platform: TestPlatform, published: () => number): Promise<number> {
  const requests = Array.from({ length: total }, (_, i) =>
    create(SocialRequestSchema, {
      envelope: newEnvelope(platform.workspaceId),
      idempotencyKey: `bench-${randomUUID()}`,
      contactId: `contact-${i}`,
      platforms: [SocialPlatform.X],
      text: `Channel post ${i} #bench`,
    }),
  );
  return deliveredPerSecond(platform.bus, Topics.ChannelSocialRequestsV1, requests, published, deadlineMs);
}

async function main(): Promise<void> {
  const fake = new FakeSocialPlatforms();
  fake.delayMs = latencyMs;
  await fake.start();
  const platform = await startTestPlatform({
    services: [createChannelSocialService()],
    env: { X_ACCESS_TOKEN: fake.credentials.xToken, X_BASE_URL: fake.url, SOCIAL_X_POSTS_PER_DAY: String(total * 10) },
  });
  try {
    const baseline = await direct(
      new XPublisher({ accessToken: fake.credentials.xToken, baseUrl: fake.url, timeoutMs: 10_000 }),
    );
    const channel = await throughChannel(platform, () => fake.postsOn("x").length);
    report(`social-post: whole channel path vs the X publisher alone (${latencyMs} ms API latency)`, [
      {
        what: `X API v2, ${total} posts`,
        subject: { name: "channel-social", value: channel, unit: "posts/s" },
        baseline: { name: "X publisher direct", value: baseline, unit: "posts/s" },
        goal: 0.7,
      },
    ]);
  } finally {
    await platform.close();
    await fake.close();
  }
}

await main();
