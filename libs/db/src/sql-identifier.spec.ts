import { describe, expect, it } from "vitest";
import { quoteSchema } from "./sql-identifier.js";

describe("quoteSchema", () => {
  it("quotes a plain service schema name", () => {
    expect(quoteSchema("orchestrator")).toBe('"orchestrator"');
    expect(quoteSchema("channel_email_2")).toBe('"channel_email_2"');
  });

  it.each(['x"; DROP TABLE t; --', "Orchestrator", "1abc", "", "a-b", "a".repeat(64)])("rejects %j", (name) => {
    expect(() => quoteSchema(name)).toThrow(/schema: .* is not a valid schema name/);
  });
});
