import { describe, expect, it } from "vitest";
import {
  churnRetentionV1,
  customerOnboardingV1,
  leadQualificationV1,
  leadWelcomeV1,
  productLaunchDripV1,
  validateDefinition,
  type WorkflowDefinition,
} from "@cascade/workflow";
import { compileDefinition, type CompiledDefinition } from "./compiled-definition.js";
import { advance } from "./engine.js";
import type { AdvanceResult, OutgoingMessage, RunEventSpec, RunInput, TimerSpec } from "./engine-types.js";
import { emptyRunState, unknownContact, type ContactView, type RunState, type RunStatusName } from "./run-state.js";

const DAY = 86_400_000;

/** Drives one run in memory the way the service does: applies results, keeps timers, fires them in due order. */
class RunDriver {
  state: RunState;
  status: RunStatusName = "running";
  now: Date;
  timers: TimerSpec[] = [];
  waits: { tokenId: string; event: string }[] = [];
  messages: OutgoingMessage[] = [];
  events: RunEventSpec[] = [];
  last?: AdvanceResult;
  teams: Record<string, string[]> = { sales: ["sales@example.com"] };
  addressGraceMs = 0;
  readonly definition: CompiledDefinition;

  constructor(
    definition: WorkflowDefinition,
    public contact: ContactView,
    start = new Date("2030-01-01T08:00:00Z"),
    payload: Record<string, unknown> = {},
  ) {
    const validated = validateDefinition(JSON.parse(JSON.stringify(definition)));
    if (!validated.ok || !validated.definition) throw new Error(JSON.stringify(validated.problems));
    this.definition = compileDefinition(validated.definition, 1, definition.nodes);
    this.now = start;
    this.state = emptyRunState(payload, null);
  }

  apply(input: RunInput): AdvanceResult {
    const result = advance(this.state, this.status, input, {
      now: this.now,
      run: {
        runId: "run-1",
        workspace: "ws",
        workflowId: this.definition.workflowId,
        version: 1,
        contactId: this.contact.id,
        startedAt: "2030-01-01T08:00:00.000Z",
      },
      definition: this.definition,
      contact: this.contact,
      teams: this.teams,
      addressGraceMs: this.addressGraceMs,
    });
    this.last = result;
    if (!result.changed) return result;
    this.state = result.state;
    this.status = result.status;
    const cleared = new Set(result.clearedTokens);
    this.timers = [...this.timers.filter((timer) => !cleared.has(timer.tokenId)), ...result.timers];
    this.waits = [...this.waits.filter((wait) => !cleared.has(wait.tokenId)), ...result.waits];
    this.messages.push(...result.messages);
    this.events.push(...result.runEvents);
    return result;
  }

  /** Moves the clock to the next non-task timer and fires it. */
  fireNextTimer(): TimerSpec {
    const timer = [...this.timers].filter((t) => t.kind !== "task").sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
    if (!timer) throw new Error("no timer pending");
    this.now = new Date(timer.dueAt);
    this.apply({ type: "timer", tokenId: timer.tokenId, kind: timer.kind as "delay" });
    return timer;
  }

  emailSubjects(): string[] {
    return this.messages.flatMap((message) => (message.type === "email" ? [message.subject ?? ""] : []));
  }
}

function contact(overrides: Partial<ContactView> = {}): ContactView {
  return { ...unknownContact("c-1"), email: "ada@example.com", traits: { first_name: "Ada" }, ...overrides };
}

describe("engine: lead_welcome_v1", () => {
  it("sends welcome, guide and webinar invite to an engaged lead and exits when they register", () => {
    const run = new RunDriver(leadWelcomeV1, contact({ engagement_score: 0.9 }));
    run.apply({ type: "start" });
    expect(run.messages.map((m) => m.type === "email" && m.idempotencyKey)).toEqual(["run-1:welcome_email"]);
    expect(run.status).toBe("waiting");
    expect(run.fireNextTimer().dueAt).toBe("2030-01-03T08:00:00.000Z");
    expect(run.fireNextTimer().dueAt).toBe("2030-01-06T08:00:00.000Z");
    expect(run.emailSubjects()).toHaveLength(3);
    expect(run.waits).toEqual([expect.objectContaining({ event: "webinar_registered" })]);
    const [wait] = run.waits;
    run.apply({ type: "event", tokenId: wait!.tokenId, event: { name: "webinar_registered", properties: {} } });
    expect(run.status).toBe("exited");
    expect(run.last?.finished?.reason).toBe("webinar_registered");
    expect(run.timers).toEqual([]);
    expect(run.events.at(-1)).toMatchObject({ kind: "run_finished", status: "exited", runDurationMs: 5 * DAY });
  });

  it("takes the timeout branch after nine days without the event", () => {
    const run = new RunDriver(leadWelcomeV1, contact({ engagement_score: 0.9 }));
    run.apply({ type: "start" });
    run.fireNextTimer();
    run.fireNextTimer();
    const timeout = run.fireNextTimer();
    expect(timeout.kind).toBe("wait_timeout");
    expect(run.last?.finished?.reason).toBe("welcome_series_complete");
    expect(run.events.find((e) => e.nodeId === "wait_for_registration" && e.kind === "node_completed")?.branch).toBe(
      "timeout",
    );
  });

  it("skips the webinar for a lead that is not engaged", () => {
    const run = new RunDriver(leadWelcomeV1, contact({ engagement_score: 0.2 }));
    run.apply({ type: "start" });
    run.fireNextTimer();
    run.fireNextTimer();
    expect(run.emailSubjects()).toHaveLength(2);
    expect(run.last?.finished?.reason).toBe("welcome_series_complete");
  });

  it("a filter on wait_for_event keeps waiting for a non-matching event", () => {
    const definition: WorkflowDefinition = {
      ...leadWelcomeV1,
      nodes: leadWelcomeV1.nodes.map((node) =>
        node.kind === "wait_for_event"
          ? { ...node, config: { ...node.config, filter: "event.properties.seats > 1" } }
          : node,
      ),
    };
    const run = new RunDriver(definition, contact({ engagement_score: 0.9 }));
    run.apply({ type: "start" });
    run.fireNextTimer();
    run.fireNextTimer();
    const tokenId = run.waits[0]!.tokenId;
    expect(
      run.apply({ type: "event", tokenId, event: { name: "webinar_registered", properties: { seats: 1 } } }).changed,
    ).toBe(false);
    run.apply({ type: "event", tokenId, event: { name: "webinar_registered", properties: { seats: 2 } } });
    expect(run.last?.finished?.reason).toBe("webinar_registered");
  });
});

describe("engine: customer_onboarding_v1 (a week in one test)", () => {
  it("sends five emails to a quiet customer, with delays measured by the clock", () => {
    const run = new RunDriver(customerOnboardingV1, contact({ engagement_score: 0.1 }));
    run.apply({ type: "start" });
    while (run.timers.length > 0) run.fireNextTimer();
    expect(run.emailSubjects()).toEqual([
      "Your account is ready",
      "Getting started in 10 minutes",
      "A quick tour: builder, triggers and analytics",
      "Your first quick win: a welcome journey",
      expect.stringContaining("Can we help"),
    ]);
    expect(run.now.toISOString()).toBe("2030-01-08T08:00:00.000Z");
    expect(run.last?.finished?.reason).toBe("re_engagement_sent");
  });
});

describe("engine: lead_qualification_v1", () => {
  it("adds 10 points, qualifies at 50, updates CRM through a task and tells sales", () => {
    const run = new RunDriver(leadQualificationV1, contact({ lead_score: 40 }));
    run.apply({ type: "start" });
    expect(run.messages.slice(0, 2)).toEqual([
      expect.objectContaining({ type: "score_adjusted", score: "lead_score", delta: 10 }),
      expect.objectContaining({ type: "contact_traits", traits: { lead_status: "qualified" } }),
    ]);
    const task = run.timers.find((timer) => timer.kind === "task");
    expect(task?.nodeId).toBe("crm_qualified");
    run.apply({ type: "task_succeeded", tokenId: task!.tokenId, result: {} });
    expect(run.messages.at(-1)).toMatchObject({
      type: "email",
      to: "sales@example.com",
      category: "operational",
      idempotencyKey: "run-1:notify_sales:sales@example.com",
    });
    expect(run.last?.finished?.reason).toBe("qualified");
  });

  it("ends with condition_not_met below 50", () => {
    const run = new RunDriver(leadQualificationV1, contact({ lead_score: 10 }));
    run.apply({ type: "start" });
    expect(run.status).toBe("exited");
    expect(run.last?.finished?.reason).toBe("condition_not_met");
  });
});

describe("engine: product_launch_drip_v1 (parallel, merge, until_date)", () => {
  it("runs both pre-launch branches, merges, waits for launch day and distributes", () => {
    const start = new Date("2030-03-01T09:00:00Z");
    const launch = new Date(start.getTime() + 14 * DAY).toISOString();
    const run = new RunDriver(productLaunchDripV1, contact({ traits: { product_launch_date: launch } }), start);
    run.apply({ type: "start" });
    expect(run.messages.map((m) => m.type)).toEqual(["social", "email"]);
    expect(run.state.tokens).toHaveLength(2); // the social branch parked at the merge, the email branch on a delay
    run.fireNextTimer(); // 7 days
    run.fireNextTimer(); // 5 days → early access → merge (all) → until launch
    const untilLaunch = run.fireNextTimer();
    expect(untilLaunch.dueAt).toBe(launch);
    const tasks = run.timers.filter((timer) => timer.kind === "task");
    expect(tasks.map((t) => t.nodeId).sort()).toEqual(["post_community", "publish_blog"]);
    run.apply({
      type: "task_failed",
      tokenId: tasks[0]!.tokenId,
      error: { code: "HTTP_ERROR", message: "503", retryable: true },
    });
    run.apply({ type: "task_succeeded", tokenId: tasks[1]!.tokenId, result: { saveAs: "x", value: 1 } });
    expect(run.events.some((e) => e.kind === "node_failed" && e.branch === "error")).toBe(true);
    run.fireNextTimer(); // 3 days
    expect(run.last?.finished?.reason).toBe("launch_campaign_complete");
    expect(run.emailSubjects()).toHaveLength(5);
  });
});

describe("engine: loops, failures, cancellation", () => {
  const loopDefinition: WorkflowDefinition = {
    id: "loop_test",
    name: "Loop",
    settings: { reentry: { policy: "always" } },
    nodes: [
      { id: "trigger", kind: "manual", config: {} },
      {
        id: "each",
        kind: "loop_iterator",
        config: { collection: "run.vars.items", itemVariable: "item", maxIterations: 3 },
      },
      { id: "mail", kind: "email_send", config: { subject: "Item {{run.vars.item}}", body: "b" } },
      { id: "end", kind: "exit", config: { reason: "looped" } },
    ],
    edges: [
      { id: "e1", source: "trigger", target: "each" },
      { id: "e2", source: "each", target: "mail", sourceHandle: "body" },
      { id: "e3", source: "mail", target: "each" },
      { id: "e4", source: "each", target: "end", sourceHandle: "done" },
    ],
  };

  it("iterates at most maxIterations times, with one idempotency key per iteration", () => {
    const run = new RunDriver(loopDefinition, contact());
    run.state = { ...run.state, vars: { items: ["a", "b", "c", "d", "e"] } };
    run.apply({ type: "start" });
    expect(run.messages.map((m) => (m.type === "email" ? m.idempotencyKey : ""))).toEqual([
      "run-1:mail:0",
      "run-1:mail:1",
      "run-1:mail:2",
    ]);
    expect(run.last?.finished?.reason).toBe("looped");
  });

  it("an integration node without an error branch fails the run visibly", () => {
    const run = new RunDriver(leadQualificationV1, contact({ lead_score: 45 }));
    run.apply({ type: "start" });
    const task = run.timers.find((timer) => timer.kind === "task")!;
    run.apply({
      type: "task_retry",
      tokenId: task.tokenId,
      error: { code: "HTTP_ERROR", message: "500", retryable: true },
      retryAt: new Date(run.now.getTime() + 1000),
    });
    expect(run.state.tokens[0]?.wait).toEqual({ kind: "task", attempt: 2 });
    run.apply({
      type: "task_failed",
      tokenId: task.tokenId,
      error: { code: "HTTP_ERROR", message: "500", retryable: true },
    });
    expect(run.status).toBe("failed");
    expect(run.events.at(-1)).toMatchObject({ kind: "run_finished", status: "failed", error: { code: "HTTP_ERROR" } });
  });

  it("cancel clears every timer and a stale timer afterwards changes nothing", () => {
    const run = new RunDriver(leadWelcomeV1, contact());
    run.apply({ type: "start" });
    const timer = run.timers[0]!;
    run.apply({ type: "cancel", reason: "user" });
    expect(run.status).toBe("cancelled");
    expect(run.timers).toEqual([]);
    expect(run.apply({ type: "timer", tokenId: timer.tokenId, kind: "delay" }).changed).toBe(false);
  });

  it("exit conditions end the run when the contact changes", () => {
    const definition: WorkflowDefinition = {
      ...leadWelcomeV1,
      settings: { ...leadWelcomeV1.settings, exitConditions: ["contact.traits.unsubscribed == true"] },
    };
    const subscribed = new RunDriver(definition, contact());
    subscribed.apply({ type: "start" });
    expect(subscribed.apply({ type: "contact_changed" }).changed).toBe(false);
    const unsubscribed = new RunDriver(definition, contact({ traits: { unsubscribed: true } }));
    unsubscribed.state = subscribed.state;
    unsubscribed.status = subscribed.status;
    unsubscribed.apply({ type: "contact_changed" });
    expect(unsubscribed.last?.finished?.reason).toBe("exit_condition");
  });
});

describe("engine: channel nodes that wait for their outcome", () => {
  /** Email first; when it is not sent (opted out, bounced, failed), an SMS instead; no verdict in 1h: an SMS too. */
  const fallback: WorkflowDefinition = {
    id: "wf-fallback",
    name: "Email, else SMS",
    settings: { reentry: { policy: "always" } },
    nodes: [
      { id: "trigger", kind: "manual", config: {} },
      {
        id: "mail",
        kind: "email_send",
        config: { subject: "Your order", body: "Hi", waitForOutcome: { timeout: "1h" } },
      },
      { id: "sms", kind: "sms_send", config: { body: "Your order shipped" } },
      { id: "done", kind: "exit", config: { reason: "emailed" } },
    ],
    edges: [
      { id: "e1", source: "trigger", target: "mail" },
      { id: "e2", source: "mail", target: "done", sourceHandle: "sent" },
      { id: "e3", source: "mail", target: "sms", sourceHandle: "not_sent" },
      { id: "e4", source: "mail", target: "sms", sourceHandle: "timeout" },
    ],
  };

  const started = (): { run: RunDriver; key: string } => {
    const run = new RunDriver(fallback, contact({ email: "ada@example.com", phone: "+14155550100" }));
    run.apply({ type: "start" });
    const email = run.messages.find((message) => message.type === "email");
    if (!email) throw new Error("no email sent");
    return { run, key: email.idempotencyKey };
  };
  const smsSent = (run: RunDriver): number => run.messages.filter((message) => message.type === "sms").length;

  it("parks after publishing the email, and takes `sent` when the provider accepted it", () => {
    const { run, key } = started();
    expect(run.status).toBe("waiting");
    expect(run.waits).toEqual([expect.objectContaining({ event: `outcome:${key}` })]);
    expect(run.apply({ type: "outcome", idempotencyKey: key, status: "queued", reason: "" }).changed).toBe(false);
    expect(run.apply({ type: "outcome", idempotencyKey: key, status: "deferred", reason: "quiet_hours" }).changed).toBe(
      false,
    );
    run.apply({ type: "outcome", idempotencyKey: key, status: "sent", reason: "" });
    expect(run.last?.finished?.reason).toBe("emailed");
    expect(smsSent(run)).toBe(0);
    expect(run.timers.filter((timer) => timer.kind === "outcome_timeout")).toEqual([]);
  });

  it("takes `not_sent` on a skip and keeps the reason in run.vars", () => {
    const { run, key } = started();
    run.apply({ type: "outcome", idempotencyKey: key, status: "skipped", reason: "unsubscribed" });
    expect(smsSent(run)).toBe(1);
    expect(run.state.vars.mail_outcome).toEqual({ status: "skipped", reason: "unsubscribed" });
    expect(run.events.find((event) => event.nodeId === "mail" && event.kind === "node_completed")?.branch).toBe(
      "not_sent",
    );
  });

  it("takes `timeout` when no verdict arrives, and ignores a late outcome", () => {
    const { run, key } = started();
    const timer = run.fireNextTimer();
    expect(timer.kind).toBe("outcome_timeout");
    expect(run.now.getTime() - new Date("2030-01-01T08:00:00Z").getTime()).toBe(3_600_000);
    expect(smsSent(run)).toBe(1);
    expect(run.apply({ type: "outcome", idempotencyKey: key, status: "sent", reason: "" }).changed).toBe(false);
  });

  it("ignores outcomes of other messages", () => {
    const { run, key } = started();
    expect(run.apply({ type: "outcome", idempotencyKey: `${key}:other`, status: "sent", reason: "" }).changed).toBe(
      false,
    );
    expect(run.status).toBe("waiting");
  });

  it("a channel node without waitForOutcome continues at once (its only handle is `next`)", () => {
    const run = new RunDriver(
      {
        ...fallback,
        nodes: [
          { id: "trigger", kind: "manual", config: {} },
          { id: "mail", kind: "email_send", config: { subject: "Your order", body: "Hi" } },
          { id: "done", kind: "exit", config: { reason: "emailed" } },
        ],
        edges: [
          { id: "e1", source: "trigger", target: "mail" },
          { id: "e2", source: "mail", target: "done" },
        ],
      },
      contact({ email: "ada@example.com" }),
    );
    run.apply({ type: "start" });
    expect(run.last?.finished?.reason).toBe("emailed");
  });
});

describe("engine: churn_retention_v1", () => {
  const prediction = { model: "churn", score: 0.82, previous_score: 0.55, threshold: 0.7, prediction: { churn: 0.82 } };

  const started = (): RunDriver => {
    const run = new RunDriver(churnRetentionV1, contact(), new Date("2030-01-01T08:00:00Z"), prediction);
    run.teams = { sales: ["sales@example.com"], success: ["success@example.com"] };
    run.apply({ type: "start" });
    return run;
  };
  const emailsTo = (run: RunDriver, to: string) =>
    run.messages.filter((message) => message.type === "email" && message.to === to);
  const cameBack = (run: RunDriver) => {
    const [wait] = run.waits;
    if (!wait) throw new Error("the run is not waiting for an event");
    run.apply({ type: "event", tokenId: wait.tokenId, event: { name: "feature_used", properties: {} } });
  };

  it("a customer who comes back after the first email exits with the goal and hears nothing more", () => {
    const run = started();
    expect(emailsTo(run, "ada@example.com")).toEqual([
      expect.objectContaining({
        nodeId: "we_miss_you_email",
        category: "marketing",
        idempotencyKey: "run-1:we_miss_you_email",
      }),
    ]);
    expect(run.status).toBe("waiting");
    expect(run.waits).toEqual([expect.objectContaining({ event: "feature_used" })]);
    expect(run.timers.map((timer) => [timer.kind, timer.dueAt])).toEqual([
      ["wait_timeout", "2030-01-06T08:00:00.000Z"],
    ]);

    run.now = new Date("2030-01-03T10:00:00Z");
    cameBack(run);
    expect(run.status).toBe("exited");
    expect(run.last?.finished?.reason).toBe("came_back");
    expect(run.timers).toEqual([]);
    expect(run.messages).toHaveLength(1);
    expect(run.events.find((e) => e.nodeId === "wait_for_return" && e.kind === "node_completed")?.branch).toBe("event");
  });

  it("a customer who comes back after the offer exits without bothering customer success", () => {
    const run = started();
    expect(run.fireNextTimer().dueAt).toBe("2030-01-06T08:00:00.000Z");
    expect(emailsTo(run, "ada@example.com").map((m) => m.nodeId)).toEqual(["we_miss_you_email", "offer_email"]);
    cameBack(run);
    expect(run.last?.finished?.reason).toBe("came_back_after_offer");
    expect(emailsTo(run, "success@example.com")).toEqual([]);
  });

  it("a silent customer gets both emails, then customer success is told with the score", () => {
    const run = started();
    run.fireNextTimer(); // 5 days without feature_used → the offer
    const silence = run.fireNextTimer(); // 7 more days → customer success
    expect(silence).toMatchObject({ kind: "wait_timeout", dueAt: "2030-01-13T08:00:00.000Z" });
    const customerEmails = emailsTo(run, "ada@example.com");
    expect(customerEmails.map((m) => m.nodeId)).toEqual(["we_miss_you_email", "offer_email"]);
    for (const email of customerEmails) {
      if (email.type !== "email") continue;
      // Personalised, and the churn score never reaches the customer's copy.
      expect(`${email.subject} ${email.html}`).toContain("contact.traits.first_name");
      expect(`${email.subject} ${email.preheader} ${email.html}`).not.toMatch(/churn|prediction|score/i);
    }
    expect(emailsTo(run, "success@example.com")).toEqual([
      expect.objectContaining({
        nodeId: "notify_success",
        category: "operational",
        idempotencyKey: "run-1:notify_success:success@example.com",
        html: expect.stringContaining("{{prediction.churn}}"),
        variables: expect.objectContaining({ prediction: { churn: 0.82 } }),
      }),
    ]);
    expect(emailsTo(run, "sales@example.com")).toEqual([]);
    expect(run.status).toBe("exited");
    expect(run.last?.finished?.reason).toBe("handed_to_success");
    expect(run.events.at(-1)).toMatchObject({ kind: "run_finished", status: "exited", runDurationMs: 12 * DAY });
  });
});

describe("engine: an email node whose contact has no address yet", () => {
  /** identify (the address) and track (the trigger) sent back to back: the run can start before the address. */
  const welcome: WorkflowDefinition = {
    id: "wf-welcome",
    name: "Welcome",
    settings: { reentry: { policy: "always" } },
    nodes: [
      { id: "trigger", kind: "manual", config: {} },
      { id: "mail", kind: "email_send", config: { subject: "Welcome", body: "Hi" } },
      { id: "done", kind: "exit", config: { reason: "welcomed" } },
    ],
    edges: [
      { id: "e1", source: "trigger", target: "mail" },
      { id: "e2", source: "mail", target: "done" },
    ],
  };
  const waiting = (): RunDriver => {
    const run = new RunDriver(welcome, contact({ email: null }));
    run.addressGraceMs = 30_000;
    run.apply({ type: "start" });
    return run;
  };

  it("waits for the address, then sends to it when the contact projection has it", () => {
    const run = waiting();
    expect(run.status).toBe("waiting");
    expect(run.messages).toEqual([]);
    expect(run.waits).toEqual([expect.objectContaining({ event: "contact:address" })]);
    expect(run.apply({ type: "contact_changed" }).changed).toBe(false); // still no address
    run.contact = { ...run.contact, email: "ada@example.com" };
    run.apply({ type: "contact_changed" });
    expect(run.messages).toEqual([expect.objectContaining({ type: "email", to: "ada@example.com" })]);
    expect(run.last?.finished?.reason).toBe("welcomed");
    expect(run.timers.filter((timer) => timer.kind === "address_timeout")).toEqual([]);
  });

  it("sends without an address after the grace period (the channel then skips it with its reason)", () => {
    const run = waiting();
    const timer = run.fireNextTimer();
    expect(timer.kind).toBe("address_timeout");
    expect(run.messages).toEqual([expect.objectContaining({ type: "email", to: "" })]);
    expect(run.last?.finished?.reason).toBe("welcomed");
  });

  it("does not wait when the address is known, or when the grace period is 0", () => {
    const known = new RunDriver(welcome, contact({ email: "ada@example.com" }));
    known.addressGraceMs = 30_000;
    known.apply({ type: "start" });
    expect(known.last?.finished?.reason).toBe("welcomed");
    const noGrace = new RunDriver(welcome, contact({ email: null }));
    noGrace.apply({ type: "start" });
    expect(noGrace.messages).toEqual([expect.objectContaining({ type: "email", to: "" })]);
  });
});
