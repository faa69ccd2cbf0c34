import { describe, expect, it } from "vitest";
import { create, EmailVariantSchema } from "@cascade/contracts";
import { pickVariant } from "./variant-picker.js";

describe("pickVariant", () => {
  const variants = [
    create(EmailVariantSchema, { variantId: "a", weight: 70 }),
    create(EmailVariantSchema, { variantId: "b", weight: 30 }),
    create(EmailVariantSchema, { variantId: "never", weight: 0 }),
  ];

  it("splits contacts in proportion to the weights", () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i += 1) {
      const id = pickVariant(variants, "wf/node", `contact-${i}`)?.variantId ?? "none";
      counts[id] = (counts[id] ?? 0) + 1;
    }
    expect(counts["a"]).toBeGreaterThan(6_800);
    expect(counts["a"]).toBeLessThan(7_200);
    expect(counts["never"]).toBeUndefined();
  });

  it("is deterministic per contact and experiment", () => {
    const first = pickVariant(variants, "wf/node", "ada")?.variantId;
    for (let i = 0; i < 5; i += 1) expect(pickVariant(variants, "wf/node", "ada")?.variantId).toBe(first);
  });
});
