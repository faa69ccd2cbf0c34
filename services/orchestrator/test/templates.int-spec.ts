import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, EventSchema, EventType, newEnvelope, RunEventKind, RunStatus, Topics } from "@cascade/contracts";
import { eventually } from "@cascade/testing";
import {
  churnRetentionV1,
  customerOnboardingV1,
  leadQualificationV1,
  leadWelcomeV1,
  productLaunchDripV1,
} from "@cascade/workflow";
import {
  startHarness,
  startRecordingServer,
  uid,
  type Harness,
  type RecordingServer,
} from "./orchestrator-test-kit.js";

const DAY = 86_400_000;

/** Every shipped template end to end on the real broker and PostgreSQL, days skipped with the manual clock. */
describe("orchestrator: the four templates end to end", () => {
  let h: Harness;
  let crm: RecordingServer;
  let cms: RecordingServer;

  beforeAll(async () => {
    crm = await startRecordingServer();
    cms = await startRecordingServer();
    crm.respond = () => ({ status: 200, body: {} });
    h = await startHarness({
      ORCHESTRATOR_TEAMS: JSON.stringify({ sales: ["sales@acme.test"] }),
      ORCHESTRATOR_CRM: JSON.stringify({ generic: { baseUrl: `${crm.url}/crm` } }),
      ORCHESTRATOR_CONNECTIONS: JSON.stringify({ cms: { baseUrl: `${cms.url}/cms` } }),
      ORCHESTRATOR_RETRY_INITIAL_DELAY_MS: "1000",
    });
    for (const template of [leadWelcomeV1, leadQualificationV1, customerOnboardingV1, productLaunchDripV1])
      await h.publishDefinition(template);
    await eventually(async () => {
      const rows = await h.query(`SELECT 1 FROM orchestrator.workflow_heads WHERE workspace_id = $1`, [
        h.platform.workspaceId,
      ]);
      return rows.length === 4 ? true : undefined;
    });
  });

  afterAll(async () => {
    await h?.close();
    await crm?.close();
    await cms?.close();
  });

  it("lead_welcome_v1: welcome, guide after 2 days, webinar after 3 more, exits on registration; a repeated command starts nothing", async () => {
    const contact = uid("lead");
    await h.setContact(contact, { email: `${contact}@example.com`, first_name: "Ada" }, { engagement: 0.9 });
    const command = await h.startRun("lead_welcome_v1", contact);
    await h.publishCommand(command); // same envelope id: idempotent
    const runId = await h.runIdOf(contact, "lead_welcome_v1");
    const emailsOf = () => h.emails.filter((email) => email.runId === runId);
    await eventually(async () => (emailsOf().length === 1 ? true : undefined));
    expect(emailsOf()[0]).toMatchObject({
      idempotencyKey: `${runId}:welcome_email`,
      to: { address: `${contact}@example.com` },
    });

    await h.advance(2 * DAY);
    await eventually(async () => (emailsOf().length === 2 ? true : undefined));
    await h.advance(3 * DAY);
    await eventually(async () => (emailsOf().length === 3 ? true : undefined));
    expect(emailsOf().map((email) => email.nodeId)).toEqual(["welcome_email", "guide_email", "webinar_email"]);

    // A webinar_registered event resumes the wait_for_event node through events.v1.
    await h.platform.bus.publish(Topics.EventsV1, [
      {
        value: create(EventSchema, {
          envelope: newEnvelope(h.platform.workspaceId),
          type: EventType.TRACK,
          event: "webinar_registered",
          contactId: contact,
        }),
      },
    ]);
    const finished = await h.finished(runId);
    expect(finished.status).toBe(RunStatus.EXITED);
    expect(finished.runDurationMs).toBe(5 * DAY);
    const runs = await h.query(`SELECT run_id FROM orchestrator.runs WHERE workspace_id = $1 AND contact_id = $2`, [
      h.platform.workspaceId,
      contact,
    ]);
    expect(runs).toHaveLength(1);
    const kinds = h.runEvents.filter((e) => e.runId === runId).map((e) => e.kind);
    expect(kinds[0]).toBe(RunEventKind.RUN_STARTED);
    expect(kinds).toContain(RunEventKind.NODE_WAITING);
    // Re-entry policy "once": a later start for the same contact is skipped.
    await h.startRun("lead_welcome_v1", contact);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      await h.query(`SELECT run_id FROM orchestrator.runs WHERE workspace_id = $1 AND contact_id = $2`, [
        h.platform.workspaceId,
        contact,
      ]),
    ).toHaveLength(1);
  });

  it("lead_welcome_v1: takes the timeout branch nine days after the invitation without the event", async () => {
    const contact = uid("lead");
    await h.setContact(contact, { email: `${contact}@example.com` }, { engagement: 0.8 });
    await h.startRun("lead_welcome_v1", contact);
    const runId = await h.runIdOf(contact, "lead_welcome_v1");
    await eventually(async () => (h.emails.some((e) => e.runId === runId) ? true : undefined));
    await h.advance(2 * DAY); // each delay counts from when its node was entered
    await h.advance(3 * DAY);
    await eventually(async () => (h.emails.filter((e) => e.runId === runId).length === 3 ? true : undefined));
    await h.advance(9 * DAY);
    const finished = await h.finished(runId);
    expect(finished.status).toBe(RunStatus.EXITED);
    const wait = h.runEvents.find(
      (e) => e.runId === runId && e.nodeId === "wait_for_registration" && e.kind === RunEventKind.NODE_COMPLETED,
    );
    expect(wait?.branch).toBe("timeout");
  });

  it("customer_onboarding_v1: five emails over seven days for a quiet customer", async () => {
    const contact = uid("customer");
    await h.setContact(contact, { email: `${contact}@example.com`, company: "Acme" }, { engagement: 0.1 });
    await h.startRun("customer_onboarding_v1", contact);
    const runId = await h.runIdOf(contact, "customer_onboarding_v1");
    for (const days of [1, 2, 2, 2]) {
      await eventually(async () => (h.emails.some((e) => e.runId === runId) ? true : undefined));
      await h.advance(days * DAY);
    }
    const finished = await h.finished(runId);
    expect(finished.status).toBe(RunStatus.EXITED);
    await eventually(async () => (h.emails.filter((e) => e.runId === runId).length === 5 ? true : undefined));
    expect(h.emails.filter((e) => e.runId === runId).map((e) => e.nodeId)).toEqual([
      "confirmation_email",
      "getting_started_email",
      "feature_tour_email",
      "quick_win_email",
      "re_engagement_email",
    ]);
    const steps = await h.query<{ node_id: string }>(
      `SELECT node_id FROM orchestrator.step_executions WHERE run_id = $1`,
      [runId],
    );
    expect(steps.map((s) => s.node_id)).toContain("engagement_check");
  });

  it("lead_qualification_v1: +10 to 50 qualifies, the CRM gets lead_status over REST once, sales is emailed", async () => {
    const contact = uid("prospect");
    await h.setContact(contact, { email: `${contact}@example.com`, company: "Initech" }, { lead: 40 });
    await h.startRun("lead_qualification_v1", contact, { payload: { event: { name: "page_view", properties: {} } } });
    const runId = await h.runIdOf(contact, "lead_qualification_v1");
    const finished = await h.finished(runId);
    expect(finished.status).toBe(RunStatus.EXITED);
    const crmCalls = crm.requests.filter((r) => r.path.includes(encodeURIComponent(contact)));
    expect(crmCalls).toHaveLength(1);
    expect(crmCalls[0]).toMatchObject({
      method: "PATCH",
      body: { fields: { lead_status: "qualified", lead_score: 50 } },
    });
    expect(crmCalls[0]?.headers["idempotency-key"]).toBe(`${runId}:crm_qualified`);
    await eventually(async () => (h.emails.some((e) => e.runId === runId) ? true : undefined));
    const notification = h.emails.find((e) => e.runId === runId);
    expect(notification?.to?.address).toBe("sales@acme.test");
    await eventually(async () =>
      h.contactEvents.filter((e) => e.context?.run_id === runId).length === 2 ? true : undefined,
    );
    const [scored, identified] = h.contactEvents.filter((e) => e.context?.run_id === runId);
    expect(scored).toMatchObject({ event: "lead_score_adjusted", properties: { delta: 10, score: "lead_score" } });
    expect(identified?.traits).toEqual({ lead_status: "qualified" });
  });

  it("product_launch_drip_v1: parallel social + emails, merge, launch-day distribution (a failing webhook takes its error branch), follow-up", async () => {
    const contact = uid("fan");
    const launch = new Date(h.clock.now().getTime() + 14 * DAY).toISOString();
    await h.setContact(contact, {
      email: `${contact}@example.com`,
      product_launch_date: launch,
      product_name: "Rocket",
    });
    await h.startRun("product_launch_drip_v1", contact);
    const runId = await h.runIdOf(contact, "product_launch_drip_v1");
    await eventually(async () => (h.socials.some((s) => s.runId === runId) ? true : undefined));
    await h.advance(7 * DAY);
    await h.advance(2 * DAY); // each delay counts from when its node was entered
    await h.advance(3 * DAY);
    await eventually(async () => (h.emails.filter((e) => e.runId === runId).length === 3 ? true : undefined));
    await h.advance(2 * DAY); // launch day: blog through the cms connection, community webhook (unreachable host)
    await eventually(async () =>
      cms.requests.some((r) => r.headers["idempotency-key"] === `${runId}:publish_blog`) ? true : undefined,
    );
    // The community webhook's host does not resolve here: retried, then the error branch joins the merge.
    for (let i = 0; i < 3; i++) await h.advance(5_000);
    await eventually(async () =>
      h.runEvents.some(
        (e) =>
          e.runId === runId &&
          e.nodeId === "post_community" &&
          e.kind === RunEventKind.NODE_FAILED &&
          e.branch === "error",
      )
        ? true
        : undefined,
    );
    await h.advance(3 * DAY);
    const finished = await h.finished(runId);
    expect(finished.status).toBe(RunStatus.EXITED);
    await eventually(async () => (h.emails.filter((e) => e.runId === runId).length === 5 ? true : undefined));
    expect(h.emails.filter((e) => e.runId === runId).map((e) => e.nodeId)).toEqual([
      "teaser_email",
      "behind_the_scenes_email",
      "early_access_email",
      "newsletter_email",
      "follow_up_email",
    ]);
    expect(cms.requests.filter((r) => r.path === "/cms/publish_post")).toHaveLength(1);
  });
});

/**
 * churn_retention_v1 end to end: its own harness, because its notification goes to the customer-success team
 * (ORCHESTRATOR_TEAMS "success"). The triggers service is not hosted here: the StartRun carries the payload a
 * predictive trigger sends (services/embedded/test/predictive-trigger.int-spec.ts covers the crossing).
 */
describe("orchestrator: churn_retention_v1 end to end", () => {
  let h: Harness;
  const prediction = { model: "churn", score: 0.82, previous_score: 0.55, threshold: 0.7, prediction: { churn: 0.82 } };

  beforeAll(async () => {
    h = await startHarness({
      ORCHESTRATOR_TEAMS: JSON.stringify({ sales: ["sales@acme.test"], success: ["success@acme.test"] }),
    });
    await h.publishDefinition(churnRetentionV1);
    await eventually(async () => {
      const rows = await h.query(
        `SELECT 1 FROM orchestrator.workflow_heads WHERE workspace_id = $1 AND workflow_id = $2`,
        [h.platform.workspaceId, churnRetentionV1.id],
      );
      return rows.length === 1 ? true : undefined;
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  const startRetention = async (contact: string) => {
    await h.setContact(contact, { email: `${contact}@example.com`, first_name: "Ada", company: "Acme" });
    await h.startRun("churn_retention_v1", contact, { payload: prediction });
    const runId = await h.runIdOf(contact, "churn_retention_v1");
    await eventually(async () => (h.emails.some((e) => e.runId === runId) ? true : undefined));
    await eventually(async () =>
      h.runEvents.some(
        (e) => e.runId === runId && e.nodeId === "wait_for_return" && e.kind === RunEventKind.NODE_WAITING,
      )
        ? true
        : undefined,
    );
    return runId;
  };
  const featureUsed = (contact: string) =>
    h.platform.bus.publish(Topics.EventsV1, [
      {
        value: create(EventSchema, {
          envelope: newEnvelope(h.platform.workspaceId),
          type: EventType.TRACK,
          event: "feature_used",
          contactId: contact,
        }),
      },
    ]);
  const exitNodeOf = (runId: string) =>
    h.runEvents.find((e) => e.runId === runId && e.nodeKind === "exit" && e.kind === RunEventKind.NODE_ENTERED)?.nodeId;

  it("a customer who uses the product after the first email exits with the goal; nothing else is sent; re-entry after 30 days", async () => {
    const contact = uid("customer");
    const runId = await startRetention(contact);
    expect(h.emails.filter((e) => e.runId === runId)).toEqual([
      expect.objectContaining({
        nodeId: "we_miss_you_email",
        to: expect.objectContaining({ address: `${contact}@example.com` }),
      }),
    ]);
    await h.advance(2 * DAY);
    await featureUsed(contact);
    const finished = await h.finished(runId);
    expect(finished.status).toBe(RunStatus.EXITED);
    expect(finished.runDurationMs).toBe(2 * DAY);
    expect(exitNodeOf(runId)).toBe("came_back");
    await h.advance(12 * DAY); // the wait's timeout was cleared: no offer, no notification
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.emails.filter((e) => e.runId === runId).map((e) => e.nodeId)).toEqual(["we_miss_you_email"]);

    // Re-entry once per 30 days: a new crossing 14 days after the first start is skipped, one after 31 days starts.
    const runsOfContact = () =>
      h.query(`SELECT run_id FROM orchestrator.runs WHERE workspace_id = $1 AND contact_id = $2`, [
        h.platform.workspaceId,
        contact,
      ]);
    const again = await h.startRun("churn_retention_v1", contact, { payload: prediction });
    await eventually(async () => {
      const handled = await h.query(`SELECT 1 FROM orchestrator.processed_messages WHERE message_id = $1`, [
        again.envelope!.id,
      ]);
      return handled.length > 0 ? true : undefined;
    });
    expect(await runsOfContact()).toHaveLength(1);
    await h.advance(17 * DAY);
    await h.startRun("churn_retention_v1", contact, { payload: prediction });
    await eventually(async () => ((await runsOfContact()).length === 2 ? true : undefined));
  });

  it("a silent customer gets the offer after 5 days, and customer success is emailed 7 days later", async () => {
    const contact = uid("customer");
    const runId = await startRetention(contact);
    await h.advance(5 * DAY);
    await eventually(async () => (h.emails.filter((e) => e.runId === runId).length === 2 ? true : undefined));
    await h.advance(7 * DAY);
    const finished = await h.finished(runId);
    expect(finished.status).toBe(RunStatus.EXITED);
    expect(finished.runDurationMs).toBe(12 * DAY);
    expect(exitNodeOf(runId)).toBe("handed_to_success");
    await eventually(async () => (h.emails.filter((e) => e.runId === runId).length === 3 ? true : undefined));
    const [missYou, offer, notification] = h.emails.filter((e) => e.runId === runId);
    expect([missYou?.nodeId, offer?.nodeId]).toEqual(["we_miss_you_email", "offer_email"]);
    for (const email of [missYou, offer]) expect(email?.to?.address).toBe(`${contact}@example.com`);
    expect(notification).toMatchObject({ nodeId: "notify_success", to: { address: "success@acme.test" } });
    const waits = h.runEvents.filter(
      (e) => e.runId === runId && e.kind === RunEventKind.NODE_COMPLETED && e.nodeKind === "wait_for_event",
    );
    expect(waits.map((e) => [e.nodeId, e.branch])).toEqual([
      ["wait_for_return", "timeout"],
      ["wait_after_offer", "timeout"],
    ]);
  });
});
