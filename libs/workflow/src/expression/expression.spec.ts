import { describe, expect, it } from "vitest";
import type { ExpressionNode } from "./ast.js";
import { checkExpression } from "./check.js";
import { evaluate, evaluateCondition } from "./evaluate.js";
import { parseExpression } from "./parse.js";
import { defaultScope } from "./scope.js";
import { typeCheck } from "./type-check.js";
import { formatType } from "./types.js";

function parsed(source: string): ExpressionNode {
  const result = parseExpression(source);
  if (!result.ok) throw new Error(`parse failed: ${result.errors[0]?.message}`);
  return result.ast;
}

const NOW = Date.parse("2024-06-15T12:00:00Z");

const context = {
  contact: {
    id: "c1",
    lead_score: 55,
    engagement_score: 0.8,
    created_at: "2024-06-01T12:00:00Z",
    tags: ["vip", "beta"],
    traits: { first_name: "Ada", industry: "SaaS", company: "Acme" },
  },
  event: { name: "page_view", properties: { url: "https://acme.io/pricing/pro", seconds: 42 } },
  prediction: { churn: 0.12 },
  run: { vars: { attempts: 2 } },
};

describe("parseExpression", () => {
  it.each([
    ["score >= 50", { type: "binary", operator: ">=" }],
    ["not a and b or c", { type: "binary", operator: "or" }],
    ["x not in [1, 2]", { type: "binary", operator: "not in" }],
    ["-x", { type: "unary", operator: "-" }],
    ["lower(contact.traits.industry)", { type: "call", name: "lower" }],
    ["contact.traits.industry", { type: "path", segments: ["contact", "traits", "industry"] }],
    ["2h30m", { type: "duration", milliseconds: 9_000_000 }],
    ["'it\\'s'", { type: "literal", value: "it's" }],
    ["null", { type: "literal", value: null }],
  ])("parses %s", (source, shape) => {
    expect(parsed(source)).toMatchObject(shape);
  });

  it("gives * precedence over + and and over or", () => {
    expect(evaluate(parsed("1 + 2 * 3"), {})).toBe(7);
    expect(evaluate(parsed("(1 + 2) * 3"), {})).toBe(9);
    expect(evaluate(parsed("true or false and false"), {})).toBe(true);
  });

  it.each([
    ["a + )", "unexpected ')' at 1:5", 4, 1, 5],
    ["(score > 1", "unexpected end of input at 1:11", 10, 1, 11],
    ["score >= 50)", "unexpected ')' at 1:12", 11, 1, 12],
    ["score >=\n  @", "unexpected '@' at 2:3", 11, 2, 3],
    ["7days > 1", "unexpected 'a' at 1:3", 2, 1, 3],
  ])("reports %j with its position", (source, message, offset, line, column) => {
    const result = parseExpression(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ offset, line, column });
    expect(result.errors[0]?.message).toContain(message);
  });

  it("rejects empty and oversized input", () => {
    expect(parseExpression("   ").ok).toBe(false);
    expect(parseExpression("1 + ".repeat(2000) + "1").ok).toBe(false);
  });

  it("keeps keywords out of identifiers but allows them as prefixes", () => {
    expect(parsed("android")).toMatchObject({ type: "path", segments: ["android"] });
    expect(parseExpression("and").ok).toBe(false);
  });
});

describe("typeCheck", () => {
  const scope = defaultScope();

  it.each([
    ["score >= 50", "boolean"],
    ["engagement_score > 0.7", "boolean"],
    ["contact.lead_score + 10", "number"],
    ["contact.created_at + 7d", "date"],
    ["now() - contact.created_at", "duration"],
    ["contact.traits.anything_at_all", "any"],
    ["prediction.churn", "number"],
    ["[1, 2, 3]", "list<number>"],
    ["coalesce(contact.traits.first_name, 'there')", "string"],
    ["event.properties.url", "any"],
    ["run.vars.x", "any"],
  ])("types %s as %s", (source, type) => {
    const result = typeCheck(parsed(source), scope, { source });
    expect(result.errors).toEqual([]);
    expect(formatType(result.type)).toBe(type);
  });

  it.each([
    ["foo.bar > 1", "unknown field 'foo.bar' at 1:1"],
    ["contact.trait.x == 'a'", "unknown field 'contact.trait.x' at 1:1; did you mean contact.traits?"],
    ["1 + contact.emial", "did you mean contact.email?"],
    ["prediction.churn.value > 1", "prediction.churn is a number and has no fields"],
    ["lowercase(contact.email)", "unknown function 'lowercase' at 1:1; did you mean lower()?"],
    ["lower(1)", "lower() argument 'text' must be string, got number at 1:7"],
    ["lower()", "lower() takes 1 argument, got 0"],
    ["score > 'high'", "cannot compare number with string using '>'"],
    ["score and true", "'and' needs a boolean, got number at 1:1"],
    ["'a' * 2", "cannot apply '*' to string and number"],
    ["[true] > 1", "'>' needs numbers, strings, dates or durations, got list<boolean>"],
    ["1 in 5", "'in' needs a list or a string on the right, got number"],
    ["constructor.name == 'x'", "unknown field 'constructor.name'"],
  ])("rejects %s", (source, message) => {
    const result = typeCheck(parsed(source), scope, { source });
    expect(result.ok).toBe(false);
    expect(result.errors.map((error) => error.message).join(" | ")).toContain(message);
  });

  it("reports every problem, not just the first", () => {
    const source = "foo > 1 and lower(2) == 'x'";
    const result = typeCheck(parsed(source), scope, { source });
    expect(result.errors).toHaveLength(2);
    expect(result.errors[1]).toMatchObject({ offset: 18, column: 19 });
  });

  it("enforces the expected result type", () => {
    const result = checkExpression("score + 1", { expect: "boolean" });
    expect(result.ok).toBe(false);
    expect(result.errors[0]?.message).toContain("expression must be boolean, but it is number");
  });
});

describe("evaluate", () => {
  it.each<[string, unknown]>([
    ["score >= 50", true],
    ["lead_score", 55],
    ["engagement_score > 0.7", true],
    ["contact.traits.industry == 'SaaS'", true],
    ["lower(contact.traits.industry) in ['saas', 'fintech']", true],
    ["'vip' in contact.tags", true],
    ["'gold' not in contact.tags", true],
    ["'pricing' in event.properties.url", true],
    ["matches(event.properties.url, '*/pricing/*')", true],
    ["matches(event.properties.url, '*/blog/*')", false],
    ["starts_with(contact.traits.company, 'Ac') and ends_with(contact.traits.company, 'me')", true],
    ["contains(contact.tags, 'beta')", true],
    ["len(contact.tags)", 2],
    ["days_since(contact.created_at)", 14],
    ["hours_since(contact.created_at) > 300", true],
    ["contact.created_at < now() - 7d", true],
    ["to_string(date_add(contact.created_at, 2d))", "2024-06-03T12:00:00.000Z"],
    ["round(prediction.churn * 100)", 12],
    ["round(2.345, 2)", 2.35],
    ["max(1, run.vars.attempts, 3) - min(4, 5)", -1],
    ["7 % 4 + 10 / 4", 5.5],
    ["coalesce(contact.traits.nickname, contact.traits.first_name)", "Ada"],
    ["upper(trim('  hi '))", "HI"],
    ["to_number('42') + 1", 43],
    ["-event.properties.seconds", -42],
    ["2d / 1d", 2],
  ])("%s → %j", (source, expected) => {
    expect(evaluate(parsed(source), context, { now: NOW })).toEqual(expected);
  });

  it("reads missing data as null and makes ordering comparisons with null false", () => {
    const missing = [
      "contact.traits.unknown > 1",
      "contact.traits.unknown < 1",
      "contact.traits.unknown >= 0",
      "score > 1",
    ];
    for (const source of missing) expect(evaluate(parsed(source), {}, { now: NOW })).toBe(false);
    expect(evaluate(parsed("contact.traits.unknown"), context)).toBeNull();
    expect(evaluate(parsed("contact.traits.unknown == null"), context)).toBe(true);
    expect(evaluate(parsed("event.properties.seconds / 0"), context)).toBeNull();
    expect(evaluate(parsed("lower(contact.lead_score)"), context)).toBeNull();
  });

  it("never reaches prototypes or runs functions found in the data", () => {
    const hostile = {
      contact: { traits: { fn: () => "ran", name: "x" }, toString: () => "hacked" },
      run: Object.create({ inherited: 1 }) as Record<string, unknown>,
    };
    const sources = [
      "contact.__proto__",
      "contact.constructor",
      "contact.constructor.name",
      "contact.traits.fn",
      "contact.toString",
      "run.inherited",
      "contact.traits.name.length",
      "__proto__.polluted",
      "constructor(1)",
    ];
    for (const source of sources) {
      expect(evaluate(parsed(source), hostile), source).toBeNull();
    }
    const before = ({} as Record<string, unknown>)["polluted"];
    evaluate(parsed("contact.__proto__.polluted == 1"), hostile);
    expect(({} as Record<string, unknown>)["polluted"]).toBe(before);
  });

  it("treats expression text as data, never as JavaScript", () => {
    for (const source of ["process.exit(1)", "globalThis.x = 1", "require('fs')", "this.constructor"]) {
      const result = checkExpression(source);
      expect(result.ok, source).toBe(false);
    }
    expect(evaluate(parsed("'1; process.exit(1)'"), {})).toBe("1; process.exit(1)");
  });

  it("is deterministic for a fixed clock", () => {
    const ast = parsed("days_since(contact.created_at) * 2 + len(contact.tags)");
    expect(evaluate(ast, context, { now: NOW })).toBe(evaluate(ast, context, { now: NOW }));
  });

  it("evaluateCondition is true only for a boolean true", () => {
    expect(evaluateCondition(parsed("score"), context)).toBe(false);
    expect(evaluateCondition(parsed("score >= 50"), context)).toBe(true);
  });
});
