import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Channel,
  create,
  newEnvelope,
  OutcomeSchema,
  OutcomeStatus,
  RunEventKind,
  Topics,
  type EmailRequest,
  type SmsRequest,
} from "@cascade/contracts";
import type { Subscription } from "@cascade/bus";
import { eventually } from "@cascade/testing";
import type { WorkflowDefinition } from "@cascade/workflow";
import { startHarness, uid, type Harness } from "./orchestrator-test-kit.js";

/**
 * Channel nodes with `waitForOutcome` continue on the channel's verdict from outcomes.v1: an email that is not
 * sent (here: the contact unsubscribed) falls back to SMS; one that is sent ends the run; no verdict within the
 * timeout falls back too. Real Kafka and PostgreSQL; the outcomes are published as a channel service would.
 */
describe("orchestrator: branching on channel outcomes", () => {
  let h: Harness;
  let smsSubscription: Subscription;
  const sms: SmsRequest[] = [];
  const workflowId = uid("email_else_sms");
  const definition: WorkflowDefinition = {
    id: workflowId,
    name: "Email, else SMS",
    settings: { reentry: { policy: "always" } },
    nodes: [
      { id: "trigger", kind: "manual", config: {} },
      {
        id: "mail",
        kind: "email_send",
        config: {
          subject: "Your order shipped",
          body: "Hi {{contact.traits.first_name}}",
          waitForOutcome: { timeout: "1h" },
        },
      },
      { id: "text", kind: "sms_send", config: { body: "Your order shipped" } },
      { id: "done", kind: "exit", config: { reason: "emailed" } },
    ],
    edges: [
      { id: "e1", source: "trigger", target: "mail" },
      { id: "e2", source: "mail", target: "done", sourceHandle: "sent" },
      { id: "e3", source: "mail", target: "text", sourceHandle: "not_sent" },
      { id: "e4", source: "mail", target: "text", sourceHandle: "timeout" },
    ],
  };

  /** A plain welcome email, for the address race below. */
  const welcomeId = uid("welcome");
  const welcome: WorkflowDefinition = {
    id: welcomeId,
    name: "Welcome",
    settings: { reentry: { policy: "always" } },
    nodes: [
      { id: "trigger", kind: "manual", config: {} },
      { id: "mail", kind: "email_send", config: { subject: "Welcome", body: "Hi {{contact.traits.first_name}}" } },
    ],
    edges: [{ id: "e1", source: "trigger", target: "mail" }],
  };

  beforeAll(async () => {
    h = await startHarness();
    smsSubscription = await h.platform.bus.subscribe({
      group: uid("sms-reader"),
      topic: Topics.ChannelSmsRequestsV1,
      fromBeginning: true,
      handler: async (message) => void sms.push(message.value),
    });
    await h.publishDefinition(definition);
    await h.publishDefinition(welcome);
    await eventually(async () => {
      const rows = await h.query(`SELECT 1 FROM orchestrator.definitions WHERE workflow_id = ANY($1)`, [
        [workflowId, welcomeId],
      ]);
      return rows.length === 2 ? true : undefined;
    });
  });

  afterAll(async () => {
    await smsSubscription?.close();
    await h?.close();
  });

  /** Starts a run for a new contact and returns the email request it published. */
  const startFor = async (label: string): Promise<{ contactId: string; runId: string; email: EmailRequest }> => {
    const contactId = uid(label);
    await h.setContact(contactId, { email: `${contactId}@example.com`, phone: "+14155550100", first_name: "Ada" });
    await h.startRun(workflowId, contactId);
    const runId = await h.runIdOf(contactId, workflowId);
    const email = await eventually(async () => h.emails.find((request) => request.runId === runId));
    return { contactId, runId, email };
  };

  const publishOutcome = async (
    run: { contactId: string; runId: string; email: EmailRequest },
    status: OutcomeStatus,
    reason = "",
  ): Promise<void> => {
    const outcome = create(OutcomeSchema, {
      envelope: newEnvelope(h.platform.workspaceId),
      channel: Channel.EMAIL,
      status,
      reason,
      provider: "smtp",
      idempotencyKey: run.email.idempotencyKey,
      runId: run.runId,
      nodeId: "mail",
      workflowId,
      contactId: run.contactId,
    });
    await h.platform.bus.publish(Topics.OutcomesV1, [{ value: outcome }]);
  };

  const branchTaken = (runId: string) =>
    eventually(async () =>
      h.runEvents.find(
        (event) => event.runId === runId && event.nodeId === "mail" && event.kind === RunEventKind.NODE_COMPLETED,
      ),
    );

  it("waits at the email node, then falls back to SMS when the email is skipped, keeping the reason", async () => {
    const run = await startFor("skipped");
    const [state] = await h.query<{ status: string }>(`SELECT status FROM orchestrator.runs WHERE run_id = $1`, [
      run.runId,
    ]);
    expect(state?.status).toBe("waiting");
    await publishOutcome(run, OutcomeStatus.QUEUED);
    await publishOutcome(run, OutcomeStatus.SKIPPED, "unsubscribed");
    expect((await branchTaken(run.runId)).branch).toBe("not_sent");
    const text = await eventually(async () => sms.find((request) => request.runId === run.runId));
    expect(text.body).toBe("Your order shipped");
    const [vars] = await h.query<{ state: { vars: Record<string, unknown> } }>(
      `SELECT state FROM orchestrator.runs WHERE run_id = $1`,
      [run.runId],
    );
    expect(vars?.state.vars.mail_outcome).toEqual({ status: "skipped", reason: "unsubscribed" });
  });

  it("ends the run on the `sent` branch when the provider accepted the email, and sends no SMS", async () => {
    const run = await startFor("sent");
    await publishOutcome(run, OutcomeStatus.SENT);
    expect((await branchTaken(run.runId)).branch).toBe("sent");
    await h.finished(run.runId);
    expect(sms.some((request) => request.runId === run.runId)).toBe(false);
  });

  it("takes the timeout branch when no verdict arrives within the hour", async () => {
    const run = await startFor("silent");
    await h.advance(59 * 60_000);
    expect(
      h.runEvents.some(
        (event) => event.runId === run.runId && event.kind === RunEventKind.NODE_COMPLETED && event.nodeId === "mail",
      ),
    ).toBe(false);
    await h.advance(60_000);
    expect((await branchTaken(run.runId)).branch).toBe("timeout");
    await eventually(async () => sms.find((request) => request.runId === run.runId));
  });

  it("a run that starts before the contact's address (identify and track back to back) waits for it and sends to it", async () => {
    const contactId = uid("early");
    await h.startRun(welcomeId, contactId);
    const runId = await h.runIdOf(contactId, welcomeId);
    await eventually(async () => {
      const rows = await h.query<{ status: string }>(`SELECT status FROM orchestrator.runs WHERE run_id = $1`, [runId]);
      return rows[0]?.status === "waiting" ? true : undefined;
    });
    expect(h.emails.some((email) => email.runId === runId)).toBe(false);
    await h.setContact(contactId, { email: `${contactId}@example.com`, first_name: "Ada" });
    const email = await eventually(async () => h.emails.find((request) => request.runId === runId));
    expect(email.to?.address).toBe(`${contactId}@example.com`);
    await h.finished(runId);
  });

  it("after the grace period the email goes out without an address, for the channel to skip with its reason", async () => {
    const contactId = uid("never");
    await h.startRun(welcomeId, contactId);
    const runId = await h.runIdOf(contactId, welcomeId);
    await eventually(async () => {
      const rows = await h.query(`SELECT 1 FROM orchestrator.timers WHERE run_id = $1 AND kind = 'address_timeout'`, [
        runId,
      ]);
      return rows.length > 0 ? true : undefined;
    });
    await h.advance(30_000);
    const email = await eventually(async () => h.emails.find((request) => request.runId === runId));
    expect(email.to?.address ?? "").toBe("");
  });
});
