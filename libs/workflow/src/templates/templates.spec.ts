import { describe, expect, it } from "vitest";
import { checkExpression } from "../expression/check.js";
import { evaluateCondition } from "../expression/evaluate.js";
import { validateDefinition } from "../validator/validate-definition.js";
import { findTemplate, TEMPLATES } from "./index.js";

describe("shipped templates", () => {
  it("ships the four templates by id", () => {
    expect(TEMPLATES.map((entry) => entry.id)).toEqual([
      "lead_welcome_v1",
      "lead_qualification_v1",
      "customer_onboarding_v1",
      "product_launch_drip_v1",
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
});
