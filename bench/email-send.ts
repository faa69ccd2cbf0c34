/**
 * channel-email end to end (channel.email.requests.v1 → ledger, compliance, render → provider → outcome) vs the
 * same provider client calling the same local server directly, in the same run, with the same concurrency
 * (one in-flight send per partition). Local SMTP server (smtp-server) and local Mailgun-API server, 127.0.0.1 only.
 *   npm run bench -- email-send [--messages 300]
 * Needs the broker from scripts/kafka and PostgreSQL (DATABASE_URL, default cascade_test).
 */
import { create, EmailRequestSchema, MessageCategory, newEnvelope, Topics } from "@cascade/contracts";
import { startTestPlatform, type TestPlatform } from "@cascade/testing";
import { channelEmailService } from "@cascade/services/channel-email";
import { randomUUID } from "node:crypto";
import { MailgunApiFake } from "../services/channel-email/test/fakes/mailgun-api.fake.js";
import { SmtpFake } from "../services/channel-email/test/fakes/smtp.fake.js";
import { MailgunProvider } from "../services/channel-email/src/providers/mailgun.provider.js";
import { SmtpProvider } from "../services/channel-email/src/providers/smtp.provider.js";
import type { EmailProvider, OutgoingEmail } from "../services/channel-email/src/providers/email-provider.js";
import { callsPerSecond, deliveredPerSecond, flag, report, type Comparison } from "./_harness.js";

const total = flag("messages", 300);
const partitions = 3;
const deadlineMs = 120_000;

const html =
  "<html><body><p>Hello {{contact.first_name}}, your order <b>{{event.order_id}}</b> has shipped.</p></body></html>";

function email(i: number): OutgoingEmail {
  return {
    workspaceId: "bench",
    contactId: `contact-${i}`,
    idempotencyKey: `baseline-${randomUUID()}`,
    from: { address: "shop@bench.example" },
    to: { address: `c${i}@bench.example` },
    subject: "Your order has shipped",
    html: html.replace("{{contact.first_name}}", "Ada").replace("{{event.order_id}}", String(i)),
    text: `Hello Ada, your order ${i} has shipped.`,
    headers: {},
    tags: [],
  };
}

/** The direct baseline: `partitions` workers calling the provider client in a loop. */
async function direct(provider: EmailProvider): Promise<number> {
  return callsPerSecond(total, partitions, (i) => provider.send(email(i)));
}

async function throughChannel(platform: TestPlatform, received: () => number, count = total): Promise<number> {
  const requests = Array.from({ length: count }, (_, i) =>
    create(EmailRequestSchema, {
      envelope: newEnvelope(platform.workspaceId),
      idempotencyKey: `bench-${randomUUID()}`,
      contactId: `contact-${i}`,
      category: MessageCategory.TRANSACTIONAL,
      from: { address: "shop@bench.example" },
      to: { address: `c${i}@bench.example` },
      subject: "Your order has shipped",
      html,
      variables: { contact: { first_name: "Ada" }, event: { order_id: String(i) } },
    }),
  );
  return deliveredPerSecond(platform.bus, Topics.ChannelEmailRequestsV1, requests, received, deadlineMs);
}

async function main(): Promise<void> {
  const smtp = await new SmtpFake().start();
  const mailgun = await new MailgunApiFake("key-bench").start();
  const platform = await startTestPlatform({
    services: [channelEmailService],
    env: { EMAIL_SECRETS_KEY: "bench-secrets-key-0123456789", EMAIL_PROVIDER_RATE_PER_SECOND: "100000" },
  });
  const admin = { authorization: `Bearer ${platform.workspace.adminKey}`, "content-type": "application/json" };
  const setProvider = async (primary: unknown): Promise<void> => {
    const response = await fetch(`${platform.url}/api/email/providers`, {
      method: "PUT",
      headers: admin,
      body: JSON.stringify({ primary }),
    });
    if (!response.ok) throw new Error(`PUT providers: ${response.status} ${await response.text()}`);
  };
  const comparisons: Comparison[] = [];
  try {
    const smtpClient = new SmtpProvider({ url: smtp.url, timeoutMs: 10_000, ratePerSecond: 100_000 });
    const smtpDirect = await direct(smtpClient);
    smtpClient.close();
    await setProvider({ kind: "smtp", secrets: { url: smtp.url } });
    // Warm-up (not measured): the consumer group's first join and partition assignment, first connections.
    await throughChannel(platform, () => smtp.received.length, 30);
    const smtpChannel = await throughChannel(platform, () => smtp.received.length);
    comparisons.push({
      what: `SMTP, ${total} mails`,
      subject: { name: "channel-email", value: smtpChannel, unit: "sends/s" },
      baseline: { name: "nodemailer direct", value: smtpDirect, unit: "sends/s" },
      goal: 0.7,
    });

    const mailgunDirect = await direct(
      new MailgunProvider({
        apiKey: "key-bench",
        domain: "mg.bench.example",
        baseUrl: mailgun.url,
        timeoutMs: 10_000,
        ratePerSecond: 100_000,
      }),
    );
    await setProvider({
      kind: "mailgun",
      settings: { domain: "mg.bench.example", baseUrl: mailgun.url },
      secrets: { apiKey: "key-bench" },
    });
    const mailgunChannel = await throughChannel(platform, () => mailgun.received.length);
    comparisons.push({
      what: `Mailgun API, ${total} mails`,
      subject: { name: "channel-email", value: mailgunChannel, unit: "sends/s" },
      baseline: { name: "mailgun.js direct", value: mailgunDirect, unit: "sends/s" },
      goal: 0.7,
    });
    report("email-send: whole channel path vs the provider client alone", comparisons);
  } finally {
    await platform.close();
    await Promise.all([smtp.close(), mailgun.close()]);
  }
}

await main();
