import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel, OutcomeStatus } from "@cascade/contracts";
import { channelEmailService } from "@cascade/services/channel-email";
import { ingestService } from "@cascade/services/ingest";
import { orchestratorService } from "@cascade/services/orchestrator";
import { profilesService } from "@cascade/services/profiles";
import { studioService } from "@cascade/services/studio";
import { triggersService } from "@cascade/services/triggers";
import {
  basicAuth,
  eventually,
  OutcomeCollector,
  postJson,
  startTestPlatform,
  uniqueName,
  type TestPlatform,
} from "@cascade/testing";
import { signTrackingToken } from "@cascade/tracking";
// channel-email's own test support (the smtp-server fake, the provider settings call), reused rather than copied;
// there is no workspace alias for a service's test folder.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { htmlOf, headerOf, SmtpFake, textOf, type SmtpMail } from "../../channel-email/test/fakes/smtp.fake.js";
// eslint-disable-next-line @nx/enforce-module-boundaries
import { putProviders } from "../../channel-email/test/support.js";

/**
 * Issue 6 acceptance: a workflow published through the studio API sends a personalised email through a real SMTP
 * server (smtp-server on 127.0.0.1) with List-Unsubscribe headers, an open pixel and rewritten links pointing at
 * ingest; fetching the pixel and following the link go through ingest (events.v1) back to channel-email, which
 * publishes OPENED and CLICKED outcomes for the same send. Tampered or forged tokens are refused and record nothing.
 */
describe("a workflow's email over SMTP, with open and click tracking round-tripping through ingest", () => {
  const smtp = new SmtpFake();
  const outcomes = new OutcomeCollector();
  let platform: TestPlatform;
  let base: string;

  const admin = (): Record<string, string> => ({ authorization: `Bearer ${platform.workspace.adminKey}` });
  const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: { ...admin(), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
  };
  const track = async (path: string, body: unknown): Promise<void> => {
    const response = await postJson(`${platform.url}${path}`, body, {
      authorization: basicAuth(platform.workspace.writeKey),
    });
    expect(response.status, await response.text()).toBe(200);
  };
  const query = <T>(sql: string, parameters: unknown[]): Promise<T[]> =>
    platform.database.dataSource.query(sql, parameters) as Promise<T[]>;

  beforeAll(async () => {
    await smtp.start();
    // Tracking and unsubscribe links must point at this platform, whose port is chosen before it starts.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    platform = await startTestPlatform({
      services: [
        ingestService,
        profilesService,
        triggersService,
        orchestratorService,
        channelEmailService,
        studioService,
      ],
      mode: "kafka",
      env: {
        PORT: String(port),
        // Where channel-email points the open pixel, click redirects (ingest) and unsubscribe links (itself).
        EMAIL_TRACKING_BASE_URL: base,
        EMAIL_PUBLIC_BASE_URL: base,
        // The workspace's provider settings are stored encrypted (PUT /api/email/providers).
        EMAIL_SECRETS_KEY: "email-tracking-test-secrets-key",
        // Marketing mail waits out quiet hours in the contact's zone; with start = end there are none, so the test
        // does not depend on the time of day it runs at.
        EMAIL_QUIET_HOURS_START: "0",
        EMAIL_QUIET_HOURS_END: "0",
        STUDIO_UI_DIR: "/nonexistent-studio-ui",
        // TRACKING_SECRET is deliberately unset: ingest and channel-email both derive it from the admin key.
      },
    });
    expect(platform.url).toBe(base);
    await outcomes.start(platform.bus);
    await putProviders(platform, { primary: { kind: "smtp", settings: {}, secrets: { url: smtp.url } } });
  });

  afterAll(async () => {
    await outcomes.close();
    await platform?.close();
    await smtp.close();
  });

  it("sends the workflow's personalised email over SMTP, and its opens and clicks come back as outcomes", async () => {
    // 1. Publish a workflow the way the builder does: create with a draft, then publish.
    const workflowId = uniqueName("trial_welcome").replace(/_/g, "-");
    const created = await api<{ valid: boolean; problems: unknown[] }>("POST", "/api/workflows", {
      workflowId,
      name: "Trial welcome",
      definition: {
        settings: { reentry: { policy: "once" } },
        nodes: [
          { id: "trigger", kind: "event", config: { event: "Trial Started" } },
          {
            id: "welcome",
            kind: "email_send",
            config: {
              subject: "Hi {{contact.traits.first_name}}, your trial has started",
              body: '<p>Hi {{contact.traits.first_name}},</p><p>See <a href="https://example.com/pricing?utm_source=x">our plans</a>.</p>',
              fromName: "Shop",
            },
          },
          { id: "done", kind: "exit", config: { reason: "welcomed" } },
        ],
        edges: [
          { id: "trigger->welcome", source: "trigger", target: "welcome" },
          { id: "welcome->done", source: "welcome", target: "done" },
        ],
      },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json.problems).toEqual([]);
    const published = await api<{ version: number }>("POST", `/api/workflows/${workflowId}/publish`, {});
    expect(published.status, JSON.stringify(published.json)).toBeLessThan(300);
    // Triggers and the orchestrator learn the version from workflow.definitions.v1.
    await eventually(async () => {
      const [triggers, orchestrator] = await Promise.all([
        query("SELECT 1 FROM triggers.workflows WHERE workspace_id = $1 AND workflow_id = $2", [
          platform.workspaceId,
          workflowId,
        ]),
        query("SELECT 1 FROM orchestrator.definitions WHERE workspace_id = $1 AND workflow_id = $2", [
          platform.workspaceId,
          workflowId,
        ]),
      ]);
      return triggers.length > 0 && orchestrator.length > 0 ? true : undefined;
    }, 30_000);

    // 2. The contact identifies (traits reach the orchestrator through profiles), then the trigger event arrives.
    const contactId = uniqueName("ada");
    const address = `${contactId}@example.com`;
    await track("/v1/identify", { userId: contactId, traits: { first_name: "Ada", email: address } });
    // The orchestrator reads the address from its contact projection (profiles.changes.v1): wait until it has it,
    // otherwise a run started first would have no address to send to.
    await eventually(async () => {
      const rows = await query<{ email: string | null }>(
        "SELECT view->>'email' AS email FROM orchestrator.contacts WHERE workspace_id = $1 AND contact_id = $2",
        [platform.workspaceId, contactId],
      );
      return rows[0]?.email === address ? true : undefined;
    }, 30_000);
    await track("/v1/track", { userId: contactId, event: "Trial Started", properties: { plan: "pro" } });

    // 3. The SMTP server receives the mail: personalised, with unsubscribe headers, pixel and rewritten link.
    const sent = await outcomes.waitForWhere(
      (outcome) =>
        outcome.channel === Channel.EMAIL && outcome.contactId === contactId && outcome.status === OutcomeStatus.SENT,
      60_000,
    );
    expect(sent).toMatchObject({ provider: "smtp", workflowId, nodeId: "welcome" });
    expect(sent.runId).not.toBe("");
    expect(sent.providerMessageId).not.toBe("");
    const mail: SmtpMail = await eventually(async () => smtp.received.find((m) => m.to.includes(address)));
    expect(headerOf(mail.raw, "Subject")).toBe("Hi Ada, your trial has started");
    expect(headerOf(mail.raw, "From")).toBe("Shop <no-reply@cascade.local>");
    expect(headerOf(mail.raw, "Message-ID")).toBe(`<${sent.providerMessageId}>`);
    const html = htmlOf(mail.raw) ?? "";
    expect(html).toContain("<p>Hi Ada,</p>");
    expect(headerOf(mail.raw, "List-Unsubscribe")).toMatch(
      new RegExp(`^<${escape(base)}/email/unsubscribe/[\\w.-]+>$`),
    );
    expect(headerOf(mail.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    // The plain-text part greets by name too and offers the same preference page as the HTML footer.
    const text = textOf(mail.raw) ?? "";
    expect(text).toContain("Hi Ada,");
    expect(text).toMatch(
      new RegExp(`Unsubscribe or manage your email preferences: ${escape(base)}/email/preferences/`),
    );
    const pixelUrl = new RegExp(`<img src="(${escape(base)}/t/o/[\\w.-]+)"`).exec(html)?.[1];
    const clickUrl = new RegExp(`<a href="(${escape(base)}/t/c/[\\w.-]+)">our plans</a>`).exec(html)?.[1];
    expect(pixelUrl, html).toBeDefined();
    expect(clickUrl, html).toBeDefined();
    expect(html).not.toContain("https://example.com/pricing");

    // 4. Tampered and forged tokens are refused before anything is recorded (and never redirect anywhere).
    const clickToken = (clickUrl as string).split("/t/c/")[1] as string;
    const [body, signature] = clickToken.split(".") as [string, string];
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, unknown>;
    const tampered = `${Buffer.from(JSON.stringify({ ...claims, u: "https://evil.example/" })).toString("base64url")}.${signature}`;
    const forged = signTrackingToken(
      { t: "open", w: platform.workspaceId, c: contactId, k: sent.idempotencyKey },
      "not-the-installation-tracking-secret",
    );
    for (const url of [
      `${base}/t/c/${tampered}`,
      `${base}/t/o/${forged}`,
      `${base}/t/c/${forged}`,
      `${base}/t/o/x.y`,
    ]) {
      const refused = await fetch(url, { redirect: "manual" });
      expect(refused.status, url).toBe(400);
      expect(refused.headers.get("location")).toBeNull();
    }

    // 5. The reader opens the mail (the pixel) and clicks the link (the redirect keeps the link's own UTM).
    const pixel = await fetch(pixelUrl as string, {
      headers: {
        "user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko)",
      },
    });
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get("content-type")).toBe("image/gif");
    expect(
      Buffer.from(await pixel.arrayBuffer())
        .subarray(0, 6)
        .toString("latin1"),
    ).toBe("GIF89a");
    const click = await fetch(clickUrl as string, { redirect: "manual" });
    expect(click.status).toBe(302);
    const target = new URL(click.headers.get("location") ?? "");
    expect(`${target.origin}${target.pathname}`).toBe("https://example.com/pricing");
    expect(target.searchParams.get("utm_source")).toBe("x");

    // 6. OPENED and CLICKED outcomes for the same send: contact, workflow, run, node, key and provider message id.
    const sameSend = {
      channel: Channel.EMAIL,
      contactId,
      workflowId,
      runId: sent.runId,
      nodeId: "welcome",
      idempotencyKey: sent.idempotencyKey,
      provider: "smtp",
      providerMessageId: sent.providerMessageId,
    };
    const opened = await outcomes.waitFor(sent.idempotencyKey, OutcomeStatus.OPENED);
    expect(opened).toMatchObject(sameSend);
    const clicked = await outcomes.waitFor(sent.idempotencyKey, OutcomeStatus.CLICKED);
    expect(clicked).toMatchObject(sameSend);
    expect(clicked.details).toMatchObject({ url: "https://example.com/pricing?utm_source=x" });
    // The refused requests reached ingest first, and the contact's events keep their order: had any of them been
    // recorded, its outcome would be here. Nothing else was sent to the contact.
    const statuses = outcomes
      .forKey(sent.idempotencyKey)
      .map((outcome) => outcome.status)
      .sort((a, b) => a - b);
    expect(statuses).toEqual(
      [OutcomeStatus.QUEUED, OutcomeStatus.SENT, OutcomeStatus.OPENED, OutcomeStatus.CLICKED].sort((a, b) => a - b),
    );
    // ingest counted exactly the one real open and the one real click of the send.
    expect(
      await query("SELECT opens, clicks FROM ingest.email_engagement WHERE workspace_id = $1 AND send_key = $2", [
        platform.workspaceId,
        sent.idempotencyKey,
      ]),
    ).toEqual([{ opens: 1, clicks: 1 }]);
    expect(
      outcomes.outcomes.filter((o) => o.contactId === contactId && o.idempotencyKey !== sent.idempotencyKey),
    ).toEqual([]);
  }, 120_000);
});

/** A port that is free now, so URLs that point at the platform can be configured before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
