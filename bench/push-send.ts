/**
 * channel-push end to end (channel.push.requests.v1 → ledger + frequency/size checks → VAPID + aes128gcm via
 * web-push → local push service that decrypts → outcome via outbox) vs the same WebPushProvider calling the
 * same local push service directly, in the same run, with the same concurrency (3). 127.0.0.1 only.
 *   npm run bench -- push-send [--messages 300]
 * Needs the broker from scripts/kafka and PostgreSQL (DATABASE_URL, default cascade_test).
 */
import { create, MessageCategory, newEnvelope, PushRequestSchema, Topics } from "@cascade/contracts";
import { startTestPlatform, type TestPlatform } from "@cascade/testing";
import { createChannelPushService } from "@cascade/services/channel-push";
import { randomUUID } from "node:crypto";
import webpush from "web-push";
import { LocalPushService, type BrowserSubscription } from "../services/channel-push/test/local-push-service.js";
import { WebPushProvider } from "../services/channel-push/src/sending/providers/web-push.provider.js";
import { callsPerSecond, deliveredPerSecond, flag, report } from "./_harness.js";

const total = flag("messages", 300);
const partitions = 3;
const deadlineMs = 120_000;
const payload = (i: number): string =>
  JSON.stringify({
    title: "Spring sale",
    body: `20% off, offer ${i}`,
    url: "https://shop.example/sale",
    key: `k-${i}`,
  });

async function direct(provider: WebPushProvider, subscriptions: BrowserSubscription[]): Promise<number> {
  return callsPerSecond(total, partitions, (i) => {
    const browser = subscriptions[i] as BrowserSubscription;
    const subscription = {
      id: String(i),
      workspaceId: "bench",
      contactId: `c-${i}`,
      deviceId: "d",
      kind: "webpush" as const,
      address: browser.endpoint,
      p256dh: browser.keys.p256dh,
      auth: browser.keys.auth,
    };
    return provider.send({ subscription, payload: payload(i), ttlSeconds: 3600, urgency: "normal" });
  });
}

async function throughChannel(platform: TestPlatform, received: () => number): Promise<number> {
  const requests = Array.from({ length: total }, (_, i) =>
    create(PushRequestSchema, {
      envelope: newEnvelope(platform.workspaceId),
      idempotencyKey: `bench-${randomUUID()}`,
      contactId: `contact-${i}`,
      category: MessageCategory.TRANSACTIONAL,
      title: "Spring sale",
      body: `20% off, offer ${i}`,
      url: "https://shop.example/sale",
      ttlSeconds: 3600,
    }),
  );
  return deliveredPerSecond(platform.bus, Topics.ChannelPushRequestsV1, requests, received, deadlineMs);
}

async function main(): Promise<void> {
  const pushService = new LocalPushService();
  await pushService.start();
  const vapid = webpush.generateVAPIDKeys();
  const platform = await startTestPlatform({
    services: [createChannelPushService()],
    env: {
      PUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
      PUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
      PUSH_VAPID_SUBJECT: "mailto:bench@cascade.test",
    },
  });
  try {
    const baselineSubscriptions = Array.from({ length: total }, () => pushService.subscribe());
    const baseline = await direct(
      new WebPushProvider({ ...vapid, subject: "mailto:bench@cascade.test", timeoutMs: 10_000 }),
      baselineSubscriptions,
    );
    for (let i = 0; i < total; i++) {
      const browser = pushService.subscribe();
      await platform.database.dataSource.query(
        `INSERT INTO channel_push.push_subscriptions (workspace_id, contact_id, device_id, kind, address, p256dh, auth) VALUES ($1, $2, 'd', 'webpush', $3, $4, $5)`,
        [platform.workspaceId, `contact-${i}`, browser.endpoint, browser.keys.p256dh, browser.keys.auth],
      );
    }
    const channel = await throughChannel(platform, () => pushService.received.length);
    report("push-send: whole channel path vs the web push client alone", [
      {
        what: `Web Push (VAPID, aes128gcm), ${total} notifications`,
        subject: { name: "channel-push", value: channel, unit: "sends/s" },
        baseline: { name: "web-push direct", value: baseline, unit: "sends/s" },
        goal: 0.7,
      },
    ]);
  } finally {
    await platform.close();
    await pushService.close();
  }
}

await main();
