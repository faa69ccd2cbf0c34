import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BusHeaders, KafkaBus, type Subscription } from "@cascade/bus";
import { RunEventKind, RunStatus, Topics, renamedTopic, type TopicDef } from "@cascade/contracts";
import { eventually, testKafkaBrokers } from "@cascade/testing";
import type { WorkflowDefinition } from "@cascade/workflow";
import {
  startHarness,
  startRecordingServer,
  uid,
  type Harness,
  type RecordingServer,
} from "./orchestrator-test-kit.js";

/** Bad input is refused visibly: invalid definitions and unknown workflows go to the DLQ with the reason; failing calls fail runs. */
describe("orchestrator: bad input", () => {
  let h: Harness;
  let raw: KafkaBus;
  let api: RecordingServer;
  const deadLetters: { topic: string; error: string }[] = [];
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    api = await startRecordingServer();
    h = await startHarness({ ORCHESTRATOR_RETRY_MAX_ATTEMPTS: "3", ORCHESTRATOR_RETRY_INITIAL_DELAY_MS: "60000" });
    raw = new KafkaBus({ brokers: testKafkaBrokers(), clientId: "orchestrator-dlq-reader" });
    const topics: TopicDef<unknown>[] = [
      Topics.WorkflowDefinitionsV1 as TopicDef<unknown>,
      Topics.WorkflowCommandsV1 as TopicDef<unknown>,
    ];
    for (const topic of topics) {
      const dlq = renamedTopic(topic, `${topic.name}.${h.platform.topicSuffix}.dlq`);
      subscriptions.push(
        await raw.subscribe({
          group: uid("dlq-reader"),
          topic: dlq,
          handler: async (message) =>
            void deadLetters.push({ topic: topic.name, error: message.headers[BusHeaders.DlqError] ?? "" }),
        }),
      );
    }
  });

  afterAll(async () => {
    for (const subscription of subscriptions) await subscription.close();
    await raw?.close();
    await h?.close();
    await api?.close();
  });

  it("refuses an invalid definition with every problem listed", async () => {
    await h.publishDefinition({
      id: "broken_flow",
      name: "Broken",
      settings: { reentry: { policy: "once" } },
      nodes: [
        { id: "trigger", kind: "event", config: { event: "x" } },
        { id: "check", kind: "if_condition", config: { expression: "contact.trait.x == 1" } },
        { id: "mail", kind: "email_send", config: {} },
      ],
      edges: [{ id: "e1", source: "trigger", target: "check" }],
    });
    const letter = await eventually(
      async () => deadLetters.find((d) => d.topic === Topics.WorkflowDefinitionsV1.name),
      30_000,
    );
    expect(letter.error).toContain("INVALID_DEFINITION");
    expect(letter.error).toContain("expression_");
    expect(letter.error).toContain("missing_content");
    expect(letter.error).toContain("unreachable_node");
    expect(
      await h.query(`SELECT 1 FROM orchestrator.definitions WHERE workspace_id = $1`, [h.platform.workspaceId]),
    ).toHaveLength(0);
  });

  it("dead-letters a start for an unknown workflow or version with the reason", async () => {
    await h.startRun("no_such_workflow", uid("c"));
    const letter = await eventually(async () => deadLetters.find((d) => d.error.includes("UNKNOWN_WORKFLOW")), 30_000);
    expect(letter.error).toContain("no_such_workflow");
  });

  it("retries a start that races ahead of its definition, and runs it once the definition is stored", async () => {
    const workflowId = uid("late_definition");
    const contactId = uid("c");
    await h.setContact(contactId, { email: `${contactId}@example.com` });
    await h.startRun(workflowId, contactId);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the start is being retried now
    const definition: WorkflowDefinition = {
      id: workflowId,
      name: "Published late",
      settings: { reentry: { policy: "always" } },
      nodes: [
        { id: "trigger", kind: "manual", config: {} },
        { id: "mail", kind: "email_send", config: { subject: "Hello", body: "Hi" } },
      ],
      edges: [{ id: "e1", source: "trigger", target: "mail" }],
    };
    await h.publishDefinition(definition);
    const runId = await h.runIdOf(contactId, workflowId);
    await h.finished(runId);
    await eventually(async () => h.emails.find((email) => email.runId === runId));
    expect(h.emails.filter((email) => email.runId === runId)).toHaveLength(1);
    expect(deadLetters.some((letter) => letter.error.includes(workflowId))).toBe(false);
  });

  it("an api_call that keeps failing is retried with backoff, then fails the run visibly", async () => {
    api.respond = () => ({ status: 503 });
    const definition: WorkflowDefinition = {
      id: "failing_call",
      name: "Failing call",
      settings: { reentry: { policy: "always" } },
      nodes: [
        { id: "trigger", kind: "manual", config: {} },
        { id: "call", kind: "api_call", config: { method: "GET", url: `${api.url}/flaky`, timeoutMs: 2000 } },
        { id: "end", kind: "exit", config: {} },
      ],
      edges: [
        { id: "a", source: "trigger", target: "call" },
        { id: "b", source: "call", target: "end", sourceHandle: "success" },
      ],
    };
    await h.publishDefinition(definition);
    await eventually(async () =>
      (
        await h.query(
          `SELECT 1 FROM orchestrator.workflow_heads WHERE workspace_id = $1 AND workflow_id = 'failing_call'`,
          [h.platform.workspaceId],
        )
      ).length
        ? true
        : undefined,
    );
    const contact = uid("c");
    await h.startRun("failing_call", contact);
    const runId = await h.runIdOf(contact, "failing_call");
    // Advance only once the retry is scheduled (its NODE_FAILED event is out), so the backoff counts from before the jump.
    const failuresSoFar = () =>
      h.runEvents.filter((e) => e.runId === runId && e.kind === RunEventKind.NODE_FAILED).length;
    await eventually(async () => (failuresSoFar() === 1 ? true : undefined));
    await h.advance(60_000); // first retry after 60 s
    await eventually(async () => (failuresSoFar() === 2 ? true : undefined));
    expect(api.requests).toHaveLength(2);
    await h.advance(120_000); // second retry after 120 s (exponential)
    const finished = await h.finished(runId);
    expect(finished.status).toBe(RunStatus.FAILED);
    expect(finished.error?.code).toBe("HTTP_STATUS");
    expect(api.requests.map((r) => r.headers["idempotency-key"])).toEqual([
      `${runId}:call`,
      `${runId}:call`,
      `${runId}:call`,
    ]);
    const failures = h.runEvents.filter((e) => e.runId === runId && e.kind === RunEventKind.NODE_FAILED);
    expect(failures.map((e) => e.error?.retryable)).toEqual([true, true, true]);
  });

  it("the SSRF guard refuses a private address that is not allow-listed, without retrying", async () => {
    const definition: WorkflowDefinition = {
      id: "ssrf_call",
      name: "SSRF",
      settings: { reentry: { policy: "always" } },
      nodes: [
        { id: "trigger", kind: "manual", config: {} },
        { id: "call", kind: "api_call", config: { method: "GET", url: "http://10.0.0.1/metadata", timeoutMs: 1000 } },
        { id: "refused", kind: "exit", config: { reason: "refused" } },
      ],
      edges: [
        { id: "a", source: "trigger", target: "call" },
        { id: "b", source: "call", target: "refused", sourceHandle: "error" },
      ],
    };
    await h.publishDefinition(definition);
    await eventually(async () =>
      (
        await h.query(
          `SELECT 1 FROM orchestrator.workflow_heads WHERE workspace_id = $1 AND workflow_id = 'ssrf_call'`,
          [h.platform.workspaceId],
        )
      ).length
        ? true
        : undefined,
    );
    const contact = uid("c");
    await h.startRun("ssrf_call", contact);
    const runId = await h.runIdOf(contact, "ssrf_call");
    const finished = await h.finished(runId);
    expect(finished.status).toBe(RunStatus.EXITED);
    const failure = h.runEvents.find((e) => e.runId === runId && e.kind === RunEventKind.NODE_FAILED);
    expect(failure?.error).toMatchObject({ code: "SSRF_REFUSED", retryable: false });
    expect(failure?.branch).toBe("error");
  });
});
