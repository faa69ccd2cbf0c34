import { describe, expect, it } from "vitest";
import { checkExpression } from "../expression/check.js";
import { evaluateCondition } from "../expression/evaluate.js";
import { validateDefinition } from "../validator/validate-definition.js";
import { findTemplate, TEMPLATES } from "./index.js";

describe("shipped templates", () => {
  it("ships the five templates by id", () => {
    expect(TEMPLATES.map((entry) => entry.id)).toEqual([
      "lead_welcome_v1",
      "lead_qualification_v1",
      "customer_onboarding_v1",
      "product_launch_drip_v1",
      "churn_retention_v1",
    ]);
    for (const entry of TEMPLATES) {
      expect(entry.name).not.toBe("");
      expect(entry.description).not.toBe("");
    }
  });

  it.each(TEMPLATES.map((entry) => [entry.id, entry] as const))("%s validates with zero problems", (_id, entry) => {
    const result = validateDefinition(JSON.parse(JSON.stringify(entry.definition)));
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("every email carries a subject and a body", () => {
    for (const entry of TEMPLATES) {
      for (const node of entry.definition.nodes) {
        if (node.kind !== "email_send") continue;
        expect(node.config.subject, `${entry.id}/${node.id}`).toMatch(/\S/);
        expect(node.config.body, `${entry.id}/${node.id}`).toContain("{{");
      }
    }
  });

  it("lead_welcome_v1 invites only engaged leads to the webinar", () => {
    const definition = findTemplate("lead_welcome_v1")?.definition;
    const check = definition?.nodes.find((node) => node.id === "is_engaged");
    if (check?.kind !== "if_condition") throw new Error("is_engaged is not an if_condition");
    const compiled = checkExpression(check.config.expression);
    if (!compiled.ok) throw new Error("condition does not compile");
    expect(evaluateCondition(compiled.ast, { contact: { engagement_score: 0.8 } })).toBe(true);
    expect(evaluateCondition(compiled.ast, { contact: { engagement_score: 0.5 } })).toBe(false);
    const webinarEdge = definition?.edges.find((edge) => edge.source === "is_engaged" && edge.sourceHandle === "true");
    expect(webinarEdge?.target).toBe("webinar_email");
  });

  it("lead_qualification_v1 qualifies at 50 points once", () => {
    const gate = findTemplate("lead_qualification_v1")?.definition.nodes.find(
      (node) => node.kind === "condition_check",
    );
    if (gate?.kind !== "condition_check") throw new Error("no condition_check");
    const compiled = checkExpression(gate.config.expression);
    if (!compiled.ok) throw new Error("condition does not compile");
    expect(evaluateCondition(compiled.ast, { contact: { lead_score: 50, traits: {} } })).toBe(true);
    expect(evaluateCondition(compiled.ast, { contact: { lead_score: 40, traits: {} } })).toBe(false);
    expect(evaluateCondition(compiled.ast, { contact: { lead_score: 90, traits: { lead_status: "qualified" } } })).toBe(
      false,
    );
  });

  it("churn_retention_v1 starts on a churn crossing above 0.7 and never shows the score to the customer", () => {
    const entry = findTemplate("churn_retention_v1");
    expect(entry?.category).toBe("retention");
    const definition = entry!.definition;
    const triggers = definition.nodes.filter((node) => node.kind === "predictive");
    expect(triggers).toEqual([
      expect.objectContaining({ id: "trigger", config: { model: "churn", threshold: 0.7, direction: "above" } }),
    ]);
    expect(definition.settings.reentry).toEqual({ policy: "once_per_period", periodDays: 30 });
    const emails = definition.nodes.filter((node) => node.kind === "email_send");
    expect(emails.map((node) => node.id)).toEqual(["we_miss_you_email", "offer_email"]);
    for (const email of emails) {
      const text = JSON.stringify(email.config);
      expect(text, email.id).toContain("{{#if contact.traits.first_name}}{{contact.traits.first_name}}{{else}}");
      expect(text, email.id).not.toMatch(/prediction|churn|score/i);
    }
    const notify = definition.nodes.find((node) => node.kind === "notification_send");
    if (notify?.kind !== "notification_send") throw new Error("no notification_send");
    expect(notify.config).toMatchObject({ channel: "email", team: "success" });
    expect(notify.config.message).toContain("{{prediction.churn}}");
  });

  it("churn_retention_v1 exits when the contact comes back, and tells customer success only after both emails", () => {
    const { edges, nodes } = findTemplate("churn_retention_v1")!.definition;
    const next = (source: string, handle?: string) =>
      edges.find((edge) => edge.source === source && edge.sourceHandle === handle)?.target;
    const kindOf = (id: string | undefined) => nodes.find((node) => node.id === id)?.kind;
    for (const wait of ["wait_for_return", "wait_after_offer"]) {
      const node = nodes.find((candidate) => candidate.id === wait);
      if (node?.kind !== "wait_for_event") throw new Error(`${wait} is not a wait_for_event`);
      expect(node.config.event).toBe("feature_used");
      expect(kindOf(next(wait, "event"))).toBe("exit");
    }
    expect(next("trigger")).toBe("we_miss_you_email");
    expect(next("we_miss_you_email")).toBe("wait_for_return");
    expect(next("wait_for_return", "timeout")).toBe("offer_email");
    expect(next("offer_email")).toBe("wait_after_offer");
    expect(next("wait_after_offer", "timeout")).toBe("notify_success");
    expect(kindOf(next("notify_success"))).toBe("exit");
  });
});
