import { describe, expect, it } from "vitest";
import { applyTraitPatch, mergeTraits } from "./traits.js";

describe("identify traits", () => {
  it("merges shallowly: new keys are added, given keys replaced, others kept", () => {
    const result = applyTraitPatch(
      { name: "Ann", plan: "free", address: { city: "Oslo" } },
      { plan: "pro", email: "ann@example.com", address: { zip: "0150" } },
    );
    expect(result.traits).toEqual({ name: "Ann", plan: "pro", email: "ann@example.com", address: { zip: "0150" } });
    expect(result.changedKeys).toEqual(["plan", "email", "address"]);
    expect(result.previous).toEqual({ plan: "free", address: { city: "Oslo" } });
  });

  it("deletes a trait given as null and reports nothing for unchanged or absent keys", () => {
    const result = applyTraitPatch({ name: "Ann", phone: "+4712345678" }, { phone: null, name: "Ann", fax: null });
    expect(result.traits).toEqual({ name: "Ann" });
    expect(result.changedKeys).toEqual(["phone"]);
    expect(result.previous).toEqual({ phone: "+4712345678" });
  });

  it("keeps the known contact's value when merging an anonymous contact in", () => {
    expect(mergeTraits({ name: "Ann", plan: "pro" }, { name: "visitor", utm_source: "ads" })).toEqual({
      name: "Ann",
      plan: "pro",
      utm_source: "ads",
    });
  });
});
