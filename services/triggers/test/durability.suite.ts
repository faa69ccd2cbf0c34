import { afterEach, describe, expect, it } from "vitest";
import { EventType } from "@cascade/contracts";
import { eventually, type TestPlatform } from "@cascade/testing";
import { Scheduler } from "../src/index.js";
import {
  cleanUpWorkspace,
  CommandLog,
  makeEvent,
  publishContact,
  publishEvents,
  publishWorkflow,
  startTriggers,
} from "./triggers-test-kit.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const opened: TestPlatform[] = [];
const logs: CommandLog[] = [];

/**
 * Closes what a test opened. Platforms must not overlap: the consumer groups are fixed names and the test
 * platforms only suffix topics, so two live platforms would share a group across different topics.
 */
async function closeAll(): Promise<void> {
  for (const log of logs.splice(0)) await log.close();
  for (const platform of opened.splice(0).reverse()) {
    await cleanUpWorkspace(platform).catch(() => undefined);
    await platform.close();
  }
}

async function open(
  options: { workspace?: string; topicSuffix?: string } = {},
): Promise<{ platform: TestPlatform; log: CommandLog }> {
  const platform = await startTriggers(options);
  opened.push(platform);
  const log = await CommandLog.start(platform);
  logs.push(log);
  return { platform, log };
}

async function rowCount(platform: TestPlatform, sql: string): Promise<number> {
  const rows: Array<{ n: number }> = await platform.database.dataSource.query(sql, [platform.workspaceId]);
  return rows[0]?.n ?? 0;
}

/** Restart, replay and scheduler tests; called from triggers.int-spec.ts so no two test platforms overlap. */
export function durabilitySuite(): void {
  describe("durability", () => {
    afterEach(closeAll);

    it("a restart in the middle of a window keeps the count; a replay after it counts nothing twice", async () => {
      const first = await open();
      await publishWorkflow(first.platform, "visits", "behavioral", {
        events: ["page_view"],
        count: { min: 3, within: "7d" },
      });
      const now = Date.now();
      const visit = (minutesAgo: number) =>
        makeEvent(first.platform, {
          name: "page_view",
          type: EventType.PAGE,
          contactId: "rs-1",
          properties: { url: "https://a.io/" },
          at: new Date(now - minutesAgo * 60_000),
        });
      const visits = [visit(30), visit(20), visit(10)];
      await publishEvents(first.platform, visits.slice(0, 2));
      await eventually(async () =>
        (await rowCount(
          first.platform,
          `SELECT count(*)::int AS n FROM triggers.window_events WHERE workspace_id = $1`,
        )) === 2
          ? true
          : undefined,
      );
      const { workspaceId, topicSuffix } = first.platform;
      await first.log.close();
      logs.splice(logs.indexOf(first.log), 1);
      opened.splice(opened.indexOf(first.platform), 1);
      await first.platform.close();

      const second = await open({ workspace: workspaceId, topicSuffix });
      expect(second.platform.app.get(Scheduler)).toBeDefined();
      await publishEvents(second.platform, [visits[2]!]);
      await second.log.waitForStarts("visits");
      await publishEvents(second.platform, visits); // replay of all three
      await publishWorkflow(second.platform, "sentinel", "event", { event: "sentinel" });
      await publishEvents(second.platform, [makeEvent(second.platform, { name: "sentinel", contactId: "rs-1" })]);
      await second.log.waitForStarts("sentinel");
      expect(second.log.starts("visits")).toHaveLength(1);
    });

    it("time-based: cron ticks fire once across concurrent scheduler replicas, and missed ticks follow the catch-up policy", async () => {
      const { platform, log } = await open();
      await publishContact(platform, "cr-pro", { plan: "pro" });
      await publishContact(platform, "cr-free", { plan: "free" });
      await eventually(async () =>
        (await rowCount(platform, `SELECT count(*)::int AS n FROM triggers.contacts WHERE workspace_id = $1`)) === 2
          ? true
          : undefined,
      );
      await publishWorkflow(platform, "weekly", "time_based", {
        mode: "cron",
        cron: "0 9 * * 1",
        timezone: "Europe/Paris",
        audience: "contact.traits.plan == 'pro'",
      });
      const [schedule] = (await platform.database.dataSource.query(
        `SELECT next_fire_at FROM triggers.cron_schedules WHERE workspace_id = $1`,
        [platform.workspaceId],
      )) as Array<{
        next_fire_at: Date;
      }>;
      const tick = schedule!.next_fire_at;
      const scheduler = platform.app.get(Scheduler);
      const at = new Date(tick.getTime() + 60_000);
      // Two replicas (two connections) race for the same due tick.
      const fired = await Promise.all([
        scheduler.runOnce(at, { workspaceId: platform.workspaceId }),
        scheduler.runOnce(at, { workspaceId: platform.workspaceId }),
      ]);
      expect(fired.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await scheduler.runOnce(at, { workspaceId: platform.workspaceId })).toBe(0);
      await log.waitForStarts("weekly");
      expect(log.starts("weekly").map((s) => s.contactId)).toEqual(["cr-pro"]);

      // Downtime of 5 weeks: the latest missed tick is older than the 24 h catch-up window — nothing fires.
      expect(
        await scheduler.runOnce(new Date(tick.getTime() + 5 * 7 * DAY + 2 * DAY), {
          workspaceId: platform.workspaceId,
        }),
      ).toBe(0);
      // Downtime of 3 weeks ending 1 h after a tick: only that latest tick fires, once.
      const resumedAt = new Date(tick.getTime() + 9 * 7 * DAY + HOUR);
      expect(await scheduler.runOnce(resumedAt, { workspaceId: platform.workspaceId })).toBe(1);
      expect(
        await rowCount(
          platform,
          `SELECT count(*)::int AS n FROM triggers.firings WHERE workspace_id = $1 AND outcome = 'started'`,
        ),
      ).toBe(2);
    });

    it("time-based: a date property + offset fires per contact at its time, late within the catch-up window, never twice", async () => {
      const { platform, log } = await open();
      const now = Date.now();
      // signed_up_at + 7 days = one hour from now.
      await publishContact(platform, "dp-1", { signed_up_at: new Date(now - 7 * DAY + HOUR).toISOString() });
      await publishContact(platform, "dp-2", { signed_up_at: new Date(now - 7 * DAY + 2 * HOUR).toISOString() });
      await eventually(async () =>
        (await rowCount(platform, `SELECT count(*)::int AS n FROM triggers.contacts WHERE workspace_id = $1`)) === 2
          ? true
          : undefined,
      );
      await publishWorkflow(platform, "follow-up", "time_based", {
        mode: "date_property",
        property: "contact.traits.signed_up_at",
        offset: "+7d",
        fallbackTimezone: "UTC",
      });
      expect(
        await rowCount(platform, `SELECT count(*)::int AS n FROM triggers.date_schedules WHERE workspace_id = $1`),
      ).toBe(2);
      const scheduler = platform.app.get(Scheduler);
      expect(await scheduler.runOnce(new Date(now + 30 * 60_000), { workspaceId: platform.workspaceId })).toBe(0);
      // 90 minutes from now: dp-1 is due.
      expect(await scheduler.runOnce(new Date(now + 90 * 60_000), { workspaceId: platform.workspaceId })).toBe(1);
      expect(await scheduler.runOnce(new Date(now + 90 * 60_000), { workspaceId: platform.workspaceId })).toBe(0);
      // dp-2 was due 2 h from now; the scheduler comes back 3 days later: beyond the catch-up window, recorded as missed.
      expect(await scheduler.runOnce(new Date(now + 3 * DAY), { workspaceId: platform.workspaceId })).toBe(0);
      expect(
        await rowCount(
          platform,
          `SELECT count(*)::int AS n FROM triggers.firings WHERE workspace_id = $1 AND outcome = 'missed'`,
        ),
      ).toBe(1);
      await log.waitForStarts("follow-up");
      expect(log.starts("follow-up").map((s) => s.contactId)).toEqual(["dp-1"]);
    });
  });
}
