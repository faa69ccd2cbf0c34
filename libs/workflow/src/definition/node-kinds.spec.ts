import { describe, expect, it } from "vitest";
import { globMatches } from "../expression/glob.js";
import { cronProblem, isValidTimeZone } from "./config-fields.js";
import { describeNodeKinds, handlesOf, NODE_KIND_NAMES, NODE_KINDS } from "./node-kinds.js";

const ARCHITECTURE_KINDS = [
  "time_based",
  "behavioral",
  "event",
  "webhook",
  "manual",
  "predictive",
  "email_send",
  "sms_send",
  "social_post",
  "web_push",
  "delay",
  "condition_check",
  "data_update",
  "scoring_update",
  "notification_send",
  "api_call",
  "if_condition",
  "switch_case",
  "loop_iterator",
  "parallel_execution",
  "merge_branches",
  "wait_for_event",
  "ab_split",
  "exit",
  "crm_update",
  "crm_create",
  "database_query",
  "external_api",
  "webhook_call",
];

describe("node kinds", () => {
  it("covers every kind in the architecture", () => {
    expect([...NODE_KIND_NAMES].sort()).toEqual([...ARCHITECTURE_KINDS].sort());
  });

  it("describes every kind for the builder with a JSON schema of its config", () => {
    const metadata = describeNodeKinds();
    expect(metadata).toHaveLength(ARCHITECTURE_KINDS.length);
    const email = metadata.find((entry) => entry.kind === "email_send");
    expect(email).toMatchObject({ category: "action", handles: "from-config", isChannel: true });
    expect(handlesOf("email_send", { subject: "Hi", body: "b" })).toEqual(["next"]);
    expect(handlesOf("email_send", { subject: "Hi", body: "b", waitForOutcome: { timeout: "1h" } })).toEqual([
      "sent",
      "not_sent",
      "timeout",
    ]);
    expect(email?.configJsonSchema).toMatchObject({ type: "object", properties: { subject: { type: "string" } } });
    const condition = metadata.find((entry) => entry.kind === "if_condition");
    expect(condition?.configJsonSchema).toMatchObject({ properties: { expression: { widget: "expression" } } });
    expect(metadata.find((entry) => entry.kind === "ab_split")?.handles).toBe("from-config");
    expect(metadata.find((entry) => entry.kind === "exit")?.handles).toEqual([]);
  });

  it("derives branch handles from config", () => {
    const switchConfig = NODE_KINDS.switch_case.configSchema.parse({
      expression: "contact.traits.industry",
      cases: [
        { id: "saas", equals: "SaaS" },
        { id: "retail", equals: "Retail" },
      ],
    });
    expect(handlesOf("switch_case", switchConfig)).toEqual(["saas", "retail", "default"]);
    expect(handlesOf("wait_for_event", { event: "x", timeout: "1d" })).toEqual(["event", "timeout"]);
    expect(handlesOf("api_call", { method: "GET", url: "https://a.example", timeoutMs: 1000 })).toEqual([
      "success",
      "error",
    ]);
  });

  it("accepts the three delay modes and rejects bad values", () => {
    const schema = NODE_KINDS.delay.configSchema;
    expect(schema.safeParse({ mode: "duration", duration: "2d" }).success).toBe(true);
    expect(
      schema.safeParse({
        mode: "until_date",
        property: "contact.traits.renewal_date",
        offset: "-3d",
        ifPast: "continue",
      }).success,
    ).toBe(true);
    expect(
      schema.safeParse({ mode: "until_local_time", time: "09:30", days: ["mon"], fallbackTimezone: "Europe/Paris" })
        .success,
    ).toBe(true);
    expect(
      schema.safeParse({ mode: "until_local_time", time: "25:00", fallbackTimezone: "Mars/Olympus" }).success,
    ).toBe(false);
    expect(schema.safeParse({ mode: "duration", duration: "0d" }).success).toBe(false);
  });
});

describe("cron and time zones", () => {
  it.each(["0 9 * * 1-5", "*/15 * * * *", "0 0 1,15 * *", "30 8 * 1-12/3 0"])("accepts %s", (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });
  it.each([
    ["0 9 * *", "must have 5 fields"],
    ["60 * * * *", "minute field '60'"],
    ["* 5-2 * * *", "hour field '5-2'"],
    ["* * * * MON", "day of week field 'MON'"],
  ])("rejects %s", (cron, message) => {
    expect(cronProblem(cron)).toContain(message);
  });
  it("checks IANA time zones with Intl", () => {
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("Not/AZone")).toBe(false);
  });
});

describe("globMatches", () => {
  it.each([
    ["https://acme.io/pricing", "*/pricing", true],
    ["https://acme.io/pricing/pro", "*/pricing", false],
    ["https://acme.io/blog/post-1", "*/blog/*", true],
    ["abc", "a?c", true],
    ["a*c", "a\\*c", true],
    ["abc", "a\\*c", false],
    ["ABC", "abc", false],
  ])("%s ~ %s → %s", (text, pattern, expected) => {
    expect(globMatches(text, pattern)).toBe(expected);
  });
  it("stays fast on patterns that make backtracking regexes explode", () => {
    const text = "a".repeat(5000);
    expect(globMatches(text, "*a*a*a*a*a*a*a*b")).toBe(false);
  });
});
