import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  create,
  EventSchema,
  EventType,
  MessageCategory,
  newEnvelope,
  OutcomeStatus,
  ProfileChangeSchema,
  SmsRequestSchema,
  SystemEvents,
  timestampFromDate,
  Topics,
  type JsonObject,
  type MessageInitShape,
  type SmsRequest,
} from "@cascade/contracts";
import { ManualClock } from "@cascade/compliance";
import { eventually, startTestPlatform, uniqueName, type TestPlatform, OutcomeCollector } from "@cascade/testing";
import { createChannelSmsService, SmsBackgroundWorker } from "../src/index.js";
import { FakeSmsProviders } from "./fake-sms-providers.js";

// Noon UTC on a winter day: daytime in London and New York, 01:00 the next day in Auckland (NZDT, UTC+13).
const NOON_UTC = new Date("2030-01-15T12:00:00Z");
const CONSENT = {
  granted_at: "2030-01-01T09:00:00Z",
  source: "checkout_form",
  ip: "203.0.113.7",
  text: "Text me offers",
};

describe("channel-sms on the real broker and PostgreSQL, Twilio API on 127.0.0.1", () => {
  const providers = new FakeSmsProviders();
  const outcomes = new OutcomeCollector();
  const clock = new ManualClock(NOON_UTC);
  let platform: TestPlatform;
  let worker: SmsBackgroundWorker;

  beforeAll(async () => {
    await providers.start();
    platform = await startTestPlatform({
      services: [createChannelSmsService({ clock })],
      env: {
        SMS_PROVIDER: "twilio",
        TWILIO_ACCOUNT_SID: providers.twilio.accountSid,
        TWILIO_AUTH_TOKEN: providers.twilio.authToken,
        TWILIO_BASE_URL: providers.url,
        SMS_DEFAULT_FROM: "+15005550006",
        SMS_STATUS_CALLBACK_URL: "https://cascade.example/webhooks/twilio/status",
        SMS_MARKETING_CAP_MAX: "2",
        SMS_DEFERRED_POLL_MS: "600000",
        SMS_IN_FLIGHT_TIMEOUT_MS: "60000",
        SMS_RETRY_DELAY_MS: "1000",
      },
    });
    worker = platform.app.get(SmsBackgroundWorker);
    await outcomes.start(platform.bus);
  });
  afterAll(async () => {
    await outcomes.close();
    await platform?.close();
    await providers.close();
  });

  const request = (fields: Omit<MessageInitShape<typeof SmsRequestSchema>, "$typeName">): SmsRequest =>
    create(SmsRequestSchema, {
      envelope: newEnvelope(platform.workspaceId, clock.now()),
      idempotencyKey: uniqueName("key"),
      runId: "run-1",
      nodeId: "sms-1",
      workflowId: "wf-1",
      contactId: uniqueName("contact"),
      category: MessageCategory.TRANSACTIONAL,
      body: "Your code is 123456",
      ...fields,
    });
  const send = (...requests: SmsRequest[]): Promise<void> =>
    platform.bus.publish(
      Topics.ChannelSmsRequestsV1,
      requests.map((value) => ({ value })),
    );
  const inbound = (name: string, contactId: string, properties: JsonObject): Promise<void> =>
    platform.bus.publish(Topics.EventsV1, [
      {
        value: create(EventSchema, {
          envelope: newEnvelope(platform.workspaceId, clock.now()),
          type: EventType.TRACK,
          event: name,
          contactId,
          properties,
          timestamp: timestampFromDate(clock.now()),
        }),
      },
    ]);
  const ledgerState = async (key: string): Promise<string | undefined> => {
    const rows = (await platform.database.dataSource.query(
      `SELECT state FROM channel_sms.send_ledger WHERE workspace_id = $1 AND idempotency_key = $2`,
      [platform.workspaceId, key],
    )) as Array<{ state: string }>;
    return rows[0]?.state;
  };

  it("sends a transactional SMS once: E.164 from the contact's country, segments and cost, status callback with workspace/contact/key", async () => {
    const sms = request({
      to: "07400 100001",
      variables: { country: "GB", code: "987654" },
      body: "Your code is {{code}} – valid 10 min",
    });
    await send(sms);
    const sent = await outcomes.waitFor(sms.idempotencyKey, OutcomeStatus.SENT);
    expect(sent).toMatchObject({ provider: "twilio", contactId: sms.contactId, runId: "run-1", nodeId: "sms-1" });
    expect(sent.providerMessageId).toMatch(/^SM/);
    // "–" (en dash) is not GSM-7: UCS-2, one segment.
    expect(sent.details).toMatchObject({ segments: 1, encoding: "UCS-2", category: "transactional", currency: "USD" });
    const [delivered] = providers.sentTo("+447400100001");
    expect(delivered?.body).toBe("Your code is 987654 – valid 10 min");
    const callback = new URL(delivered?.statusCallback ?? "");
    expect(Object.fromEntries(callback.searchParams)).toEqual({
      workspace: platform.workspaceId,
      contact: sms.contactId,
      key: sms.idempotencyKey,
    });

    // The orchestrator redelivers the same request (same key, new message id): not sent again.
    await send(create(SmsRequestSchema, { ...sms, envelope: newEnvelope(platform.workspaceId) }));
    const marker = request({ to: "+447400100099" });
    await send(marker);
    await outcomes.waitFor(marker.idempotencyKey, OutcomeStatus.SENT);
    expect(providers.sentTo("+447400100001")).toHaveLength(1);
    expect(outcomes.forKey(sms.idempotencyKey).filter((o) => o.status === OutcomeStatus.SENT)).toHaveLength(1);
  });

  it("turns an invalid number and a provider rejection into FAILED outcomes with the reason, sending nothing", async () => {
    const invalid = request({ to: "+1 555 01" });
    const noCountry = request({ to: "07400 100002" });
    providers.failures.set("+447400100003", [
      { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." },
    ]);
    const rejected = request({ to: "+447400100003" });
    await send(invalid, noCountry, rejected);
    expect((await outcomes.waitFor(invalid.idempotencyKey, OutcomeStatus.FAILED)).reason).toBe("invalid_phone_number");
    const failed = await outcomes.waitFor(noCountry.idempotencyKey, OutcomeStatus.FAILED);
    expect(failed.details?.message).toContain("no country");
    expect((await outcomes.waitFor(rejected.idempotencyKey, OutcomeStatus.FAILED)).reason).toBe("twilio_21211");
    expect(providers.sentTo("+447400100003")).toHaveLength(0);
    expect(await ledgerState(rejected.idempotencyKey)).toBe("failed");
  });

  it("requires a recorded opt-in for marketing, honours STOP at once and START again", async () => {
    const contactId = uniqueName("contact");
    const phone = "+447400100010";
    const noConsent = request({ contactId, to: phone, category: MessageCategory.MARKETING, body: "Sale!" });
    await send(noConsent);
    expect((await outcomes.waitFor(noConsent.idempotencyKey, OutcomeStatus.SKIPPED)).reason).toBe("no_consent");

    const withEvidence = request({
      contactId,
      to: phone,
      category: MessageCategory.MARKETING,
      body: "Sale!",
      variables: { sms_consent: CONSENT },
    });
    await send(withEvidence);
    await outcomes.waitFor(withEvidence.idempotencyKey, OutcomeStatus.SENT);
    const [consent] = (await platform.database.dataSource.query(
      `SELECT status, source, evidence FROM channel_sms.sms_consents WHERE workspace_id = $1 AND phone = $2`,
      [platform.workspaceId, phone],
    )) as Array<{ status: string; source: string; evidence: Record<string, unknown> }>;
    expect(consent).toMatchObject({
      status: "opted_in",
      source: "request:checkout_form",
      evidence: { ip: "203.0.113.7", text: "Text me offers" },
    });

    clock.advance(60_000);
    await inbound(SystemEvents.SmsOptedOut, contactId, { phone, body: "STOP" });
    await outcomes.waitForWhere((o) => o.contactId === contactId && o.status === OutcomeStatus.UNSUBSCRIBED);
    // Even a transactional message, and even with the old evidence, is not sent after STOP.
    const afterStop = request({
      contactId,
      to: phone,
      category: MessageCategory.MARKETING,
      body: "Sale!",
      variables: { sms_consent: CONSENT },
    });
    const transactional = request({ contactId, to: phone, body: "Receipt" });
    await send(afterStop, transactional);
    expect((await outcomes.waitFor(afterStop.idempotencyKey, OutcomeStatus.SKIPPED)).reason).toBe("opted_out");
    expect((await outcomes.waitFor(transactional.idempotencyKey, OutcomeStatus.SKIPPED)).reason).toBe("opted_out");

    clock.advance(60_000);
    await inbound(SystemEvents.SmsOptedIn, contactId, { from: phone, body: "START" });
    const again = request({ contactId, to: phone, category: MessageCategory.MARKETING, body: "Welcome back" });
    await eventually(async () => {
      const rows = (await platform.database.dataSource.query(
        `SELECT status FROM channel_sms.sms_consents WHERE workspace_id = $1 AND phone = $2`,
        [platform.workspaceId, phone],
      )) as Array<{ status: string }>;
      return rows[0]?.status === "opted_in" ? true : undefined;
    });
    await send(again);
    await outcomes.waitFor(again.idempotencyKey, OutcomeStatus.SENT);
    expect(providers.sentTo(phone).map((m) => m.body)).toEqual(["Sale!", "Welcome back"]);
  });

  it("answers HELP with the help text from the number that was texted", async () => {
    const contactId = uniqueName("contact");
    await inbound(SystemEvents.SmsHelpRequested, contactId, {
      from: "+447400100020",
      to: "+15005550123",
      body: "HELP",
    });
    const sent = await outcomes.waitForWhere((o) => o.contactId === contactId && o.status === OutcomeStatus.SENT);
    expect(sent.idempotencyKey).toMatch(/^help:/);
    expect(providers.sentTo("+447400100020")).toEqual([
      expect.objectContaining({ from: "+15005550123", body: expect.stringContaining("STOP") as string }),
    ]);
  });

  it("defers marketing in the recipient's quiet hours to 08:00 local, durably, and sends it then", async () => {
    clock.set(NOON_UTC);
    const sms = request({
      to: "+64 21 100 0030",
      category: MessageCategory.MARKETING,
      body: "Kia ora",
      variables: { timezone: "Pacific/Auckland", sms_consent: CONSENT },
    });
    await send(sms);
    const deferred = await outcomes.waitFor(sms.idempotencyKey, OutcomeStatus.DEFERRED);
    expect(deferred.reason).toBe("quiet_hours");
    // 01:00 NZDT → 08:00 NZDT = 19:00 UTC.
    expect(deferred.details).toMatchObject({
      deferred_until: "2030-01-15T19:00:00.000Z",
      local_time: "01:00",
      timezone: "Pacific/Auckland",
    });
    expect(await ledgerState(sms.idempotencyKey)).toBe("deferred");

    expect((await worker.runOnce()).released).toBe(0); // not yet due
    expect(providers.sentTo("+64211000030")).toHaveLength(0);
    // A redelivery while deferred neither sends nor defers twice.
    await send(create(SmsRequestSchema, { ...sms, envelope: newEnvelope(platform.workspaceId) }));

    clock.set("2030-01-15T19:00:00Z");
    await worker.runOnce();
    await outcomes.waitFor(sms.idempotencyKey, OutcomeStatus.SENT);
    expect(providers.sentTo("+64211000030")).toHaveLength(1);
    clock.set(NOON_UTC);
  });

  it("caps marketing per contact across workflows (2 per 24 h here); transactional is not capped", async () => {
    const contactId = uniqueName("contact");
    const phone = "+447400100040";
    const marketing = (workflowId: string): SmsRequest =>
      request({
        contactId,
        to: phone,
        workflowId,
        category: MessageCategory.MARKETING,
        body: `Offer from ${workflowId}`,
        variables: { sms_consent: CONSENT },
      });
    const [first, second, third] = [marketing("wf-a"), marketing("wf-b"), marketing("wf-c")];
    await send(first, second, third);
    await outcomes.waitFor(first.idempotencyKey, OutcomeStatus.SENT);
    await outcomes.waitFor(second.idempotencyKey, OutcomeStatus.SENT);
    const capped = await outcomes.waitFor(third.idempotencyKey, OutcomeStatus.SKIPPED);
    expect(capped).toMatchObject({ reason: "frequency_cap", details: { sent_in_window: 2, max: 2 } });
    const receipt = request({ contactId, to: phone, body: "Receipt" });
    await send(receipt);
    await outcomes.waitFor(receipt.idempotencyKey, OutcomeStatus.SENT);
    expect(providers.sentTo(phone)).toHaveLength(3);
  });

  it("maps delivery reports to DELIVERED / FAILED outcomes by idempotency key or provider message id", async () => {
    const ok = request({ to: "+447400100050" });
    const bad = request({ to: "+447400100051" });
    await send(ok, bad);
    const sentOk = await outcomes.waitFor(ok.idempotencyKey, OutcomeStatus.SENT);
    const sentBad = await outcomes.waitFor(bad.idempotencyKey, OutcomeStatus.SENT);
    await inbound(SystemEvents.SmsDelivered, ok.contactId, {
      idempotency_key: ok.idempotencyKey,
      provider_message_id: sentOk.providerMessageId,
      status: "delivered",
    });
    await inbound(SystemEvents.SmsFailed, bad.contactId, {
      provider_message_id: sentBad.providerMessageId,
      status: "undelivered",
      error_code: "30003",
    });
    expect(await outcomes.waitFor(ok.idempotencyKey, OutcomeStatus.DELIVERED)).toMatchObject({
      provider: "twilio",
      providerMessageId: sentOk.providerMessageId,
    });
    expect((await outcomes.waitFor(bad.idempotencyKey, OutcomeStatus.FAILED)).reason).toBe("provider_error_30003");
    expect(await ledgerState(ok.idempotencyKey)).toBe("delivered");
  });

  it("retries a 429 later through the deferred table, then sends once", async () => {
    providers.failures.set("+447400100060", [{ status: 429, code: 20429, message: "Too Many Requests" }]);
    const sms = request({ to: "+447400100060" });
    await send(sms);
    expect((await outcomes.waitFor(sms.idempotencyKey, OutcomeStatus.DEFERRED)).reason).toBe("provider_unavailable");
    clock.advance(1_000);
    await worker.runOnce();
    await outcomes.waitFor(sms.idempotencyKey, OutcomeStatus.SENT);
    expect(providers.sentTo("+447400100060")).toHaveLength(1);
    clock.set(NOON_UTC);
  });

  it("reconciles a send left in flight by a crash to 'unknown' and never resends it", async () => {
    const sms = request({ to: "+447400100070" });
    await platform.database.dataSource.query(
      `INSERT INTO channel_sms.send_ledger (workspace_id, idempotency_key, contact_id, category, state, provider, created_at, updated_at, sent_at)
       VALUES ($1, $2, $3, 'transactional', 'sending', 'twilio', $4, $4, $4)`,
      [platform.workspaceId, sms.idempotencyKey, sms.contactId, new Date(NOON_UTC.getTime() - 120_000)],
    );
    expect((await worker.runOnce()).reconciled).toBeGreaterThanOrEqual(1);
    const unknown = await outcomes.waitFor(sms.idempotencyKey, OutcomeStatus.FAILED);
    expect(unknown).toMatchObject({ reason: "send_state_unknown", details: { ledger_state: "unknown" } });
    await send(sms);
    const marker = request({ to: "+447400100071" });
    await send(marker);
    await outcomes.waitFor(marker.idempotencyKey, OutcomeStatus.SENT);
    expect(providers.sentTo("+447400100070")).toHaveLength(0);
    expect(await ledgerState(sms.idempotencyKey)).toBe("unknown");
  });

  it("drops a contact's deferred sends on ContactErased (profiles.changes.v1)", async () => {
    const sms = request({
      to: "+64 21 100 0080",
      category: MessageCategory.MARKETING,
      variables: { timezone: "Pacific/Auckland", sms_consent: CONSENT },
    });
    await send(sms);
    await outcomes.waitFor(sms.idempotencyKey, OutcomeStatus.DEFERRED);
    await platform.bus.publish(Topics.ProfilesChangesV1, [
      {
        value: create(ProfileChangeSchema, {
          envelope: newEnvelope(platform.workspaceId),
          contactId: sms.contactId,
          change: { case: "erased", value: { requestedBy: "api", reason: "gdpr" } },
        }),
      },
    ]);
    await eventually(async () => {
      const rows = (await platform.database.dataSource.query(
        `SELECT 1 FROM channel_sms.deferred_sends WHERE workspace_id = $1 AND contact_id = $2`,
        [platform.workspaceId, sms.contactId],
      )) as unknown[];
      return rows.length === 0 ? true : undefined;
    });
    clock.set("2030-01-15T19:00:00Z");
    await worker.runOnce();
    clock.set(NOON_UTC);
    expect(providers.sentTo("+64211000080")).toHaveLength(0);
  });
});

describe("channel-sms through the MessageBird API on 127.0.0.1", () => {
  const providers = new FakeSmsProviders();
  const outcomes = new OutcomeCollector();
  let platform: TestPlatform;

  beforeAll(async () => {
    await providers.start();
    platform = await startTestPlatform({
      services: [createChannelSmsService({ clock: new ManualClock(NOON_UTC) })],
      env: {
        SMS_PROVIDER: "messagebird",
        MESSAGEBIRD_ACCESS_KEY: providers.messageBirdKey,
        MESSAGEBIRD_BASE_URL: providers.url,
        SMS_DEFAULT_FROM: "Cascade",
        SMS_DEFERRED_POLL_MS: "600000",
      },
    });
    await outcomes.start(platform.bus);
  });
  afterAll(async () => {
    await outcomes.close();
    await platform?.close();
    await providers.close();
  });

  it("sends with the idempotency key as reference and maps an API error to a FAILED outcome", async () => {
    const ok = create(SmsRequestSchema, {
      envelope: newEnvelope(platform.workspaceId),
      idempotencyKey: uniqueName("key"),
      contactId: "c1",
      category: MessageCategory.TRANSACTIONAL,
      to: "+31 6 12345678",
      body: "Hallo",
    });
    providers.failures.set("31612345679", [{ status: 422, code: 10, message: "no (correct) recipients found" }]);
    const bad = create(SmsRequestSchema, {
      ...ok,
      envelope: newEnvelope(platform.workspaceId),
      idempotencyKey: uniqueName("key"),
      to: "+31612345679",
    });
    await platform.bus.publish(Topics.ChannelSmsRequestsV1, [{ value: ok }, { value: bad }]);
    const sent = await outcomes.waitFor(ok.idempotencyKey, OutcomeStatus.SENT);
    expect(sent).toMatchObject({ provider: "messagebird", providerMessageId: expect.stringMatching(/^mb/) as string });
    expect(providers.received).toEqual([
      expect.objectContaining({ to: "31612345678", from: "Cascade", body: "Hallo", reference: ok.idempotencyKey }),
    ]);
    expect((await outcomes.waitFor(bad.idempotencyKey, OutcomeStatus.FAILED)).reason).toBe("messagebird_10");
  });
});
