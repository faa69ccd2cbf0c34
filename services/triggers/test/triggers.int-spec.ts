import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventType, SystemEvents } from "@cascade/contracts";
import { eventually, postJson, type TestPlatform } from "@cascade/testing";
import {
  cleanUpWorkspace,
  CommandLog,
  makeEvent,
  publishContact,
  publishEvents,
  publishPrediction,
  publishWorkflow,
  startTriggers,
} from "./triggers-test-kit.js";
import { durabilitySuite } from "./durability.suite.js";
import { scaleSuite } from "./scale.suite.js";

const DAY = 86_400_000;
let platform: TestPlatform;
let log: CommandLog;

// One file on purpose: test platforms suffix topics but not consumer groups, so two triggers platforms alive at
// the same time (e.g. two files in parallel) would share the fixed groups across different topics.

/** Every event published before it for the contact has been processed once the sentinel's StartRun arrives. */
async function settle(contactId: string): Promise<void> {
  const before = log.starts("sentinel").filter((start) => start.contactId === contactId).length;
  await publishEvents(platform, [makeEvent(platform, { name: "sentinel", contactId })]);
  await eventually(
    async () =>
      log.starts("sentinel").filter((start) => start.contactId === contactId).length > before ? true : undefined,
    20_000,
  );
}

describe("triggers service on the real broker and PostgreSQL", () => {
  beforeAll(async () => {
    platform = await startTriggers();
    log = await CommandLog.start(platform);
    await publishWorkflow(platform, "sentinel", "event", { event: "sentinel" });
  });

  afterAll(async () => {
    await log?.close();
    if (platform) await cleanUpWorkspace(platform);
    await platform?.close();
  });

  it("event: starts a run when a named event matches the filter, with the event as payload", async () => {
    await publishWorkflow(platform, "big-order", "event", {
      event: "order_completed",
      filter: "event.properties.total >= 100",
    });
    await publishEvents(platform, [
      makeEvent(platform, { name: "order_completed", contactId: "ev-small", properties: { total: 20 } }),
      makeEvent(platform, { name: "order_completed", contactId: "ev-big", properties: { total: 250 } }),
    ]);
    const [start] = await log.waitForStarts("big-order");
    await settle("ev-small");
    expect(log.starts("big-order").map((s) => s.contactId)).toEqual(["ev-big"]);
    expect(start).toMatchObject({ workflowId: "big-order", version: 1, triggerId: "trigger" });
    expect(start?.triggerPayload).toMatchObject({ event: "order_completed", properties: { total: 250 } });
  });

  it("behavioral: 3 visits to /pricing within 7 days fire once, out-of-order visits count by event time, a replay fires nothing", async () => {
    await publishWorkflow(platform, "pricing-visits", "behavioral", {
      events: ["page_view"],
      urlPatterns: ["*/pricing*"],
      count: { min: 3, within: "7d" },
    });
    const now = Date.now();
    const visit = (daysAgo: number, path = "/pricing") =>
      makeEvent(platform, {
        name: "page_view",
        type: EventType.PAGE,
        contactId: "bh-1",
        properties: { url: `https://acme.io${path}` },
        at: new Date(now - daysAgo * DAY),
      });
    // Newest first: the 2-day-old and 3-day-old visits arrive after the 1-day-old one (out of order, within the bound).
    const visits = [visit(0.01), visit(0.02, "/docs"), visit(0.03), visit(0.04, "/en/pricing/teams")];
    // Three /pricing visits within the lateness bound (1h): 0.01, 0.03, 0.04 days ago; one /docs visit in between.
    await publishEvents(platform, visits);
    await log.waitForStarts("pricing-visits");
    await publishEvents(platform, visits); // replay: same event ids
    await settle("bh-1");
    expect(log.starts("pricing-visits")).toHaveLength(1);
  });

  it("webhook: starts a run when the workspace's webhook with the hook id is called", async () => {
    await publishWorkflow(platform, "hooked", "webhook", { hookId: "crm-signup" });
    await publishEvents(platform, [
      makeEvent(platform, { name: SystemEvents.WebhookReceived, contactId: "wh-1", properties: { hook_id: "other" } }),
      makeEvent(platform, {
        name: SystemEvents.WebhookReceived,
        contactId: "wh-2",
        properties: { hook_id: "crm-signup", plan: "pro" },
      }),
    ]);
    await log.waitForStarts("hooked");
    await settle("wh-1");
    expect(log.starts("hooked").map((s) => s.contactId)).toEqual(["wh-2"]);
  });

  it("predictive: fires on the crossing of prediction.churn > 0.7, not on every score above it", async () => {
    await publishWorkflow(platform, "churn-save", "predictive", { model: "churn", threshold: 0.7, direction: "above" });
    const t = Date.now();
    for (const [i, score] of [0.5, 0.8, 0.9, 0.85, 0.6, 0.75].entries())
      await publishPrediction(platform, "pr-1", score, new Date(t + i));
    await log.waitForStarts("churn-save", 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(log.starts("churn-save").map((s) => s.triggerPayload?.["score"])).toEqual([0.8, 0.75]);
  });

  it("entry rules: exclusions and the per-trigger frequency limit apply before StartRun; a goal event sends CancelRun", async () => {
    await publishContact(platform, "er-enterprise", { plan: "enterprise" });
    await publishContact(platform, "er-free", { plan: "free" });
    await publishWorkflow(
      platform,
      "drip",
      "event",
      { event: "trial_started", frequencyLimit: { max: 1, within: "1d" } },
      {
        settings: { exclusions: ["contact.traits.plan == 'enterprise'"], goal: "event.name == 'purchase'" },
      },
    );
    await eventually(async () => {
      const rows: unknown[] = await platform.database.dataSource.query(
        `SELECT 1 FROM triggers.contacts WHERE workspace_id = $1 AND contact_id = 'er-free'`,
        [platform.workspaceId],
      );
      return rows.length === 1 ? true : undefined;
    });
    await publishEvents(platform, [
      makeEvent(platform, { name: "trial_started", contactId: "er-enterprise" }),
      makeEvent(platform, { name: "trial_started", contactId: "er-free" }),
      makeEvent(platform, { name: "trial_started", contactId: "er-free" }),
      makeEvent(platform, { name: "purchase", contactId: "er-free" }),
      makeEvent(platform, { name: "purchase", contactId: "er-enterprise" }),
    ]);
    await settle("er-free");
    await settle("er-enterprise");
    expect(log.starts("drip").map((s) => s.contactId)).toEqual(["er-free"]);
    expect(log.cancels("drip")).toEqual([
      expect.objectContaining({
        contactId: "er-free",
        workflowId: "drip",
        reason: expect.stringContaining("goal_reached"),
      }),
    ]);
  });

  it("manual: POST /api/workflows/:id/start for one contact or a filter; bad input answers 4xx naming the field", async () => {
    await publishContact(platform, "mn-hot", { plan: "pro" }, { lead: 80 });
    await publishContact(platform, "mn-cold", { plan: "pro" }, { lead: 10 });
    await publishWorkflow(platform, "manual-wf", "manual", {});
    await eventually(async () => {
      const rows: unknown[] = await platform.database.dataSource.query(
        `SELECT 1 FROM triggers.contacts WHERE workspace_id = $1 AND contact_id LIKE 'mn-%'`,
        [platform.workspaceId],
      );
      return rows.length === 2 ? true : undefined;
    });
    const url = `${platform.url}/api/workflows/manual-wf/start`;
    const auth = { authorization: `Bearer ${platform.workspace.adminKey}` };

    expect((await postJson(url, { contactId: "mn-solo" })).status).toBe(401);
    const one = await postJson(url, { contactId: "mn-solo", payload: { source: "studio" } }, auth);
    expect(one.status).toBe(202);
    expect(await one.json()).toEqual({ started: 1, refused: 0 });
    const byFilter = await postJson(url, { filter: "lead_score >= 50" }, auth);
    expect(await byFilter.json()).toEqual({ started: 1, refused: 0 });
    await log.waitForStarts("manual-wf", 2);
    expect(
      log
        .starts("manual-wf")
        .map((s) => s.contactId)
        .sort(),
    ).toEqual(["mn-hot", "mn-solo"]);

    const badFilter = await postJson(url, { filter: "lead_score >=" }, auth);
    expect(badFilter.status).toBe(400);
    expect(await badFilter.json()).toMatchObject({ code: "INVALID_FILTER", field: "filter" });
    expect((await postJson(url, {}, auth)).status).toBe(400);
    expect((await postJson(`${platform.url}/api/workflows/nope/start`, { contactId: "x" }, auth)).status).toBe(404);
  });

  it("bad input: a definition whose filter does not parse is refused and never indexed; an event without a name is skipped, counted, not fatal", async () => {
    await publishWorkflow(
      platform,
      "broken",
      "event",
      { event: "order_completed", filter: "event.properties.total >=" },
      { expectIndexed: false },
    );
    const refused = await eventually(async () => {
      const rows: Array<{ problems: string[] }> = await platform.database.dataSource.query(
        `SELECT problems FROM triggers.refused_definitions WHERE workspace_id = $1 AND workflow_id = 'broken'`,
        [platform.workspaceId],
      );
      return rows[0];
    });
    expect(refused.problems.join(" ")).toMatch(/expression_syntax/);

    // A track call without an event name (the partition key needs a contact, so that one cannot be missing here).
    await publishEvents(platform, [makeEvent(platform, { name: "", contactId: "bad-before" })]);
    await eventually(async () => {
      const metrics = await (await fetch(`${platform.url}/metrics`)).text();
      return /triggers_messages_skipped_total\{topic="[^"]*events\.v1[^"]*",reason="missing_name"\} [1-9]/.test(metrics)
        ? true
        : undefined;
    });
    await publishEvents(platform, [
      makeEvent(platform, { name: "order_completed", contactId: "bad-after", properties: { total: 500 } }),
    ]);
    await eventually(async () => (log.starts("big-order").some((s) => s.contactId === "bad-after") ? true : undefined));
    expect(log.starts("broken")).toHaveLength(0);
  });
});

durabilitySuite();
scaleSuite();
