import { describe, expect, it } from "vitest";
import { assignVariant, fnv1a32 } from "./ab-split.js";

const contacts = Array.from({ length: 10_000 }, (_, index) => `contact-${index}`);

function proportions(variants: { id: string; weight: number }[], nodeId = "split-1"): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const contact of contacts) {
    const variant = assignVariant(contact, nodeId, variants);
    counts[variant] = (counts[variant] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([id, count]) => [id, count / contacts.length]));
}

describe("assignVariant", () => {
  it("follows 50/50 weights within 2 percentage points over 10k contacts", () => {
    const shares = proportions([
      { id: "a", weight: 50 },
      { id: "b", weight: 50 },
    ]);
    expect(Math.abs((shares["a"] ?? 0) - 0.5)).toBeLessThan(0.02);
    expect(Math.abs((shares["b"] ?? 0) - 0.5)).toBeLessThan(0.02);
  });

  it("follows uneven weights (10/30/60) within 2 percentage points", () => {
    const shares = proportions([
      { id: "a", weight: 1 },
      { id: "b", weight: 3 },
      { id: "c", weight: 6 },
    ]);
    expect(Math.abs((shares["a"] ?? 0) - 0.1)).toBeLessThan(0.02);
    expect(Math.abs((shares["b"] ?? 0) - 0.3)).toBeLessThan(0.02);
    expect(Math.abs((shares["c"] ?? 0) - 0.6)).toBeLessThan(0.02);
  });

  it("is deterministic per contact and node", () => {
    const variants = [
      { id: "a", weight: 1 },
      { id: "b", weight: 1 },
    ];
    const first = contacts.slice(0, 500).map((contact) => assignVariant(contact, "n1", variants));
    const again = contacts.slice(0, 500).map((contact) => assignVariant(contact, "n1", variants));
    expect(again).toEqual(first);
  });

  it("assigns independently at different nodes", () => {
    const variants = [
      { id: "a", weight: 1 },
      { id: "b", weight: 1 },
    ];
    const sameAtBoth = contacts.filter(
      (contact) => assignVariant(contact, "n1", variants) === assignVariant(contact, "n2", variants),
    ).length;
    expect(sameAtBoth / contacts.length).toBeGreaterThan(0.45);
    expect(sameAtBoth / contacts.length).toBeLessThan(0.55);
  });

  it("never picks a zero-weight variant and rejects all-zero weights", () => {
    const shares = proportions([
      { id: "a", weight: 0 },
      { id: "b", weight: 1 },
    ]);
    expect(shares["a"]).toBeUndefined();
    expect(() => assignVariant("c", "n", [{ id: "a", weight: 0 }])).toThrow(/no variant with a positive weight/);
  });

  it("hashes like reference FNV-1a over the UTF-16LE bytes of the string", () => {
    // Expected values computed independently (Python FNV-1a over text.encode("utf-16-le")).
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0x2b24d044);
    expect(fnv1a32("contact-1")).toBe(0x632e0b49);
    expect(fnv1a32("é")).toBe(0x59fb6f0c);
  });
});
