/**
 * channel-sms end to end (channel.sms.requests.v1 → ledger + consent/quiet-hours/cap checks → Twilio client →
 * outcome via outbox) vs the same Twilio client calling the same local Twilio-API server directly, in the same
 * run, with the same concurrency (one in-flight send per partition, 3 partitions). 127.0.0.1 only.
 *   npm run bench -- sms-send [--messages 300]
 * Needs the broker from scripts/kafka and PostgreSQL (DATABASE_URL, default cascade_test).
 */
import { create, MessageCategory, newEnvelope, SmsRequestSchema, Topics } from "@cascade/contracts";
import { startTestPlatform, type TestPlatform } from "@cascade/testing";
import { createChannelSmsService } from "@cascade/services/channel-sms";
import { randomUUID } from "node:crypto";
import { FakeSmsProviders } from "../services/channel-sms/test/fake-sms-providers.js";
import { TwilioSmsProvider } from "../services/channel-sms/src/sending/providers/twilio.provider.js";
import { callsPerSecond, deliveredPerSecond, flag, report } from "./_harness.js";

const total = flag("messages", 300);
const partitions = 3;
const deadlineMs = 120_000;
const phone = (i: number): string => `+4474001${String(10_000 + (i % 90_000)).padStart(5, "0")}`;

async function direct(provider: TwilioSmsProvider): Promise<number> {
  return callsPerSecond(total, partitions, (i) =>
    provider.send({ to: phone(i), from: "+15005550006", body: `Your code is ${i}`, reference: `baseline-${i}` }),
  );
}

async function throughChannel(platform: TestPlatform, received: () => number): Promise<number> {
  const requests = Array.from({ length: total }, (_, i) =>
    create(SmsRequestSchema, {
      envelope: newEnvelope(platform.workspaceId),
      idempotencyKey: `bench-${randomUUID()}`,
      contactId: `contact-${i}`,
      category: MessageCategory.TRANSACTIONAL,
      to: phone(i),
      body: "Your code is {{code}}",
      variables: { code: String(i) },
    }),
  );
  return deliveredPerSecond(platform.bus, Topics.ChannelSmsRequestsV1, requests, received, deadlineMs);
}

async function main(): Promise<void> {
  const providers = new FakeSmsProviders();
  await providers.start();
  const platform = await startTestPlatform({
    services: [createChannelSmsService()],
    env: {
      SMS_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: providers.twilio.accountSid,
      TWILIO_AUTH_TOKEN: providers.twilio.authToken,
      TWILIO_BASE_URL: providers.url,
      SMS_DEFAULT_FROM: "+15005550006",
    },
  });
  try {
    const baseline = await direct(
      new TwilioSmsProvider({ ...providers.twilio, baseUrl: providers.url, timeoutMs: 10_000 }),
    );
    const channel = await throughChannel(platform, () => providers.received.length);
    report("sms-send: whole channel path vs the twilio client alone", [
      {
        what: `Twilio API, ${total} SMS`,
        subject: { name: "channel-sms", value: channel, unit: "sends/s" },
        baseline: { name: "twilio client direct", value: baseline, unit: "sends/s" },
        goal: 0.7,
      },
    ]);
  } finally {
    await platform.close();
    await providers.close();
  }
}

await main();
