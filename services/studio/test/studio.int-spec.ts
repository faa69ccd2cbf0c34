import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  create,
  newEnvelope,
  RunEventKind,
  RunStatus,
  Topics,
  WorkflowDefinitionStatus,
  WorkflowRunEventSchema,
  type WorkflowCommand,
  type WorkflowDefinition,
} from "@cascade/contracts";
import type { Delivered, Subscription } from "@cascade/bus";
import { studioService } from "../src/index.js";
import { eventually, startTestPlatform, uniqueName, type TestPlatform } from "@cascade/testing";

/** The studio API against the real Kafka broker and PostgreSQL. */
describe("studio API", () => {
  let platform: TestPlatform;
  const definitions: WorkflowDefinition[] = [];
  const commands: WorkflowCommand[] = [];
  const subscriptions: Subscription[] = [];
  let admin: Record<string, string>;

  const api = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = admin,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read many differently shaped JSON answers
  ): Promise<{ status: number; json: any }> => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    platform = await startTestPlatform({ services: [studioService], env: { STUDIO_UI_DIR: "/nonexistent-studio-ui" } });
    admin = { authorization: `Bearer ${platform.workspace.adminKey}` };
    subscriptions.push(
      await platform.bus.subscribe({
        group: uniqueName("studio-test-defs"),
        topic: Topics.WorkflowDefinitionsV1,
        handler: async (message: Delivered<WorkflowDefinition>) => void definitions.push(message.value),
      }),
      await platform.bus.subscribe({
        group: uniqueName("studio-test-cmds"),
        topic: Topics.WorkflowCommandsV1,
        handler: async (message: Delivered<WorkflowCommand>) => void commands.push(message.value),
      }),
    );
  });

  afterAll(async () => {
    for (const subscription of subscriptions) await subscription.close();
    await platform?.close();
  });

  it("authenticates every route and enforces roles and workspaces", async () => {
    expect((await api("GET", "/api/workflows", undefined, {})).json).toMatchObject({
      statusCode: 401,
      code: "MISSING_CREDENTIALS",
    });
    expect((await api("GET", "/api/workflows", undefined, { authorization: "Bearer nope" })).status).toBe(401);
    expect((await api("GET", "/api/docs")).json.openapi).toBe("3.1.0");

    const viewer = await api("POST", "/api/keys", { name: "reader", role: "viewer" });
    expect(viewer.status).toBe(201);
    const asViewer = { authorization: `Bearer ${viewer.json.key}` };
    expect((await api("GET", "/api/session", undefined, asViewer)).json).toMatchObject({
      role: "viewer",
      workspaceId: platform.workspaceId,
    });
    expect((await api("POST", "/api/workflows", { name: "x" }, asViewer)).json).toMatchObject({
      statusCode: 403,
      code: "FORBIDDEN_ROLE",
    });

    const bad = await api("POST", "/api/keys", { name: "", role: "owner" });
    expect(bad.status).toBe(400);
    expect(bad.json.issues.map((issue: { field: string }) => issue.field).sort()).toEqual(["name", "role"]);

    const mine = await api("POST", "/api/workflows", { name: "Mine" });
    const other = await api("POST", "/api/keys", {
      name: "other-ws",
      role: "publisher",
      workspaceId: `${platform.workspaceId}-b`,
    });
    const asOther = { authorization: `Bearer ${other.json.key}` };
    expect((await api("GET", "/api/workflows", undefined, asOther)).json.workflows).toEqual([]);
    expect((await api("GET", `/api/workflows/${mine.json.workflowId}`, undefined, asOther)).status).toBe(404);
    expect(
      (await api("POST", "/api/keys", { name: "x", role: "viewer", workspaceId: platform.workspaceId }, asOther))
        .status,
    ).toBe(403);

    expect((await api("DELETE", `/api/keys/${viewer.json.keyId}`)).status).toBe(204);
    expect((await api("GET", "/api/session", undefined, asViewer)).status).toBe(401);
  });

  it("lists templates, instantiates one, refuses to publish an invalid draft, publishes, diffs and rolls back", async () => {
    const templates = (await api("GET", "/api/templates")).json.templates as Array<{ id: string }>;
    expect(templates.map((template) => template.id)).toEqual(
      expect.arrayContaining([
        "lead_welcome_v1",
        "lead_qualification_v1",
        "customer_onboarding_v1",
        "product_launch_drip_v1",
        "churn_retention_v1",
      ]),
    );
    expect((await api("POST", "/api/templates/nope/instantiate", {})).status).toBe(404);
    const created = await api("POST", "/api/templates/lead_qualification_v1/instantiate", { name: "Qualify leads" });
    expect(created.status).toBe(201);
    const workflowId: string = created.json.workflowId;
    expect(created.json).toMatchObject({
      templateId: "lead_qualification_v1",
      valid: true,
      draftRevision: 1,
      status: "draft",
    });

    const draft = structuredClone(created.json.draft);
    const condition = draft.nodes.find((node: { id: string }) => node.id === "is_qualified");
    condition.config.expression = "score >=";
    const saved = await api("PUT", `/api/workflows/${workflowId}/draft`, { definition: draft, revision: 1 });
    expect(saved.json).toMatchObject({ valid: false, draftRevision: 2 });
    expect(saved.json.problems[0]).toMatchObject({ code: "expression_syntax", nodeId: "is_qualified" });
    expect((await api("PUT", `/api/workflows/${workflowId}/draft`, { definition: draft, revision: 1 })).json.code).toBe(
      "DRAFT_CONFLICT",
    );
    const refused = await api("POST", `/api/workflows/${workflowId}/publish`, {});
    expect(refused.status).toBe(422);
    expect(refused.json.problems[0].position).toBeDefined();

    condition.config.expression = "score >= 50";
    await api("PUT", `/api/workflows/${workflowId}/draft`, { definition: draft });
    const v1 = await api("POST", `/api/workflows/${workflowId}/publish`, { note: "first" });
    expect(v1.json).toMatchObject({ version: 1, note: "first", publishedBy: "admin" });
    condition.config.expression = "score >= 70";
    await api("PUT", `/api/workflows/${workflowId}/draft`, { definition: draft });
    expect((await api("POST", `/api/workflows/${workflowId}/publish`, {})).json.version).toBe(2);

    const published = await eventually(async () => {
      const mine = definitions.filter((definition) => definition.workflowId === workflowId);
      return mine.length >= 2 ? mine : undefined;
    });
    expect(published.map((definition) => definition.version)).toEqual([1, 2]);
    expect(published[0]).toMatchObject({
      status: WorkflowDefinitionStatus.PUBLISHED,
      templateId: "lead_qualification_v1",
      publishedBy: "admin",
    });
    expect(published[0]!.envelope?.workspace).toBe(platform.workspaceId);
    expect(published[0]!.triggers).toEqual([expect.objectContaining({ nodeId: "trigger", eventName: "page_view" })]);
    expect(
      JSON.parse(published[1]!.definitionJson).nodes.find((node: { id: string }) => node.id === "is_qualified").config
        .expression,
    ).toBe("score >= 70");

    const diff = await api("GET", `/api/workflows/${workflowId}/diff?from=1&to=2`);
    expect(diff.json.nodes.changed).toEqual([
      { id: "is_qualified", changes: [{ path: "config.expression", before: "score >= 50", after: "score >= 70" }] },
    ]);
    expect((await api("GET", `/api/workflows/${workflowId}/diff?from=zero`)).status).toBe(400);

    const rolledBack = await api("POST", `/api/workflows/${workflowId}/rollback`, { version: 1 });
    expect(rolledBack.json).toMatchObject({ version: 3, restoredFrom: 1 });
    const versions = (await api("GET", `/api/workflows/${workflowId}/versions`)).json.versions;
    expect(versions.map((version: { version: number }) => version.version)).toEqual([3, 2, 1]);
    expect((await api("GET", `/api/workflows/${workflowId}/diff?from=1&to=3`)).json.identical).toBe(true);
    const workflow = (await api("GET", `/api/workflows/${workflowId}`)).json;
    expect(workflow).toMatchObject({ publishedVersion: 3, status: "published" });
    expect(workflow.draft.nodes.find((node: { id: string }) => node.id === "is_qualified").config.expression).toBe(
      "score >= 50",
    );
    expect((await api("POST", `/api/workflows/${workflowId}/rollback`, { version: 9 })).status).toBe(404);
  });

  it("starts runs by hand with a ManualStart command, and checks the filter", async () => {
    const draftOnly = (await api("POST", "/api/workflows", { name: "Never published" })).json.workflowId;
    expect((await api("POST", `/api/workflows/${draftOnly}/runs`, { contactIds: ["c1"] })).json.code).toBe(
      "NOT_PUBLISHED",
    );
    const workflowId = (await api("POST", "/api/templates/lead_welcome_v1/instantiate", {})).json.workflowId;
    await api("POST", `/api/workflows/${workflowId}/publish`, {});
    const badFilter = await api("POST", `/api/workflows/${workflowId}/runs`, { filter: "score >> 3" });
    expect(badFilter.status).toBe(400);
    expect(badFilter.json.issues[0].field).toBe("filter");
    expect(
      (await api("POST", `/api/workflows/${workflowId}/runs`, { contactIds: ["a"], filter: "score > 1" })).status,
    ).toBe(400);
    const started = await api("POST", `/api/workflows/${workflowId}/runs`, {
      filter: "score >= 50",
      payload: { source: "test" },
    });
    expect(started.status).toBe(202);
    const command = await eventually(async () =>
      commands.find((message) => message.envelope?.id === started.json.commandId),
    );
    expect(command.command.case).toBe("manualStart");
    if (command.command.case !== "manualStart") return;
    expect(command.command.value).toMatchObject({
      workflowId,
      version: 1,
      audience: { case: "filter", value: "score >= 50" },
      requestedBy: "admin",
    });
  });

  it("builds per-node statistics and timelines from workflow.runs.v1 and streams them over SSE", async () => {
    const workflowId = (await api("POST", "/api/templates/lead_welcome_v1/instantiate", {})).json.workflowId;
    await api("POST", `/api/workflows/${workflowId}/publish`, {});
    const runEvent = (runId: string, kind: RunEventKind, nodeId: string, status: RunStatus) =>
      create(WorkflowRunEventSchema, {
        envelope: newEnvelope(platform.workspaceId),
        kind,
        runId,
        workflowId,
        version: 1,
        contactId: `c-${runId}`,
        nodeId,
        nodeKind: "x",
        status,
      });

    expect((await api("GET", `/api/workflows/${workflowId}/stats/stream`, undefined, {})).status).toBe(401);
    const controller = new AbortController();
    const stream = await fetch(
      `${platform.url}/api/workflows/${workflowId}/stats/stream?access_token=${platform.workspace.adminKey}`,
      { signal: controller.signal },
    );
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const frames: string[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>)
          frames.push(decoder.decode(chunk));
      } catch {
        // aborted
      }
    })();

    const first = runEvent("r1", RunEventKind.RUN_STARTED, "", RunStatus.RUNNING);
    await platform.bus.publish(Topics.WorkflowRunsV1, [
      { value: first },
      { value: first }, // a redelivery changes nothing
      { value: runEvent("r1", RunEventKind.NODE_ENTERED, "trigger", RunStatus.RUNNING) },
      { value: runEvent("r1", RunEventKind.NODE_COMPLETED, "trigger", RunStatus.RUNNING) },
      { value: runEvent("r1", RunEventKind.NODE_ENTERED, "wait", RunStatus.RUNNING) },
      { value: runEvent("r1", RunEventKind.NODE_WAITING, "wait", RunStatus.WAITING) },
      { value: runEvent("r2", RunEventKind.RUN_STARTED, "", RunStatus.RUNNING) },
      { value: runEvent("r2", RunEventKind.NODE_ENTERED, "trigger", RunStatus.RUNNING) },
      { value: runEvent("r2", RunEventKind.NODE_FAILED, "trigger", RunStatus.FAILED) },
      { value: runEvent("r2", RunEventKind.RUN_FINISHED, "", RunStatus.FAILED) },
    ]);
    const stats = await eventually(async () => {
      const answer = (await api("GET", `/api/workflows/${workflowId}/stats`)).json;
      return answer.runs.failed === 1 && answer.nodes.wait?.waiting === 1 ? answer : undefined;
    });
    expect(stats.nodes).toEqual({
      trigger: { entered: 2, completed: 1, failed: 1, waiting: 0 },
      wait: { entered: 1, completed: 0, failed: 0, waiting: 1 },
    });
    expect(stats.runs).toEqual({ waiting: 1, failed: 1 });
    await eventually(async () => (frames.join("").includes('"waiting":1') ? true : undefined));
    controller.abort();
    await reading;
    expect(frames.join("")).toContain("event: stats");

    const runs = (await api("GET", `/api/workflows/${workflowId}/runs`)).json.runs;
    expect(runs.map((run: { runId: string }) => run.runId).sort()).toEqual(["r1", "r2"]);
    const timeline = (await api("GET", `/api/workflows/${workflowId}/runs/r1`)).json.timeline;
    expect(timeline.map((entry: { kind: string; nodeId: string }) => `${entry.kind}:${entry.nodeId}`)).toEqual([
      "run_started:",
      "node_entered:trigger",
      "node_completed:trigger",
      "node_entered:wait",
      "node_waiting:wait",
    ]);
  });

  it("serves the builder at / without shadowing API routes", async () => {
    const page = await fetch(`${platform.url}/workflows/abc`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Cascade studio");
    const unknownApi = await fetch(`${platform.url}/api/nothing-here`);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get("content-type")).toContain("application/json");
    expect((await fetch(`${platform.url}/health/live`)).status).toBe(200);
  });
});
