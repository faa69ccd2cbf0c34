import { describe, expect, it } from "vitest";
import { seededRandom } from "../random.js";
import { loadTensorFlow } from "../tfjs-backend.js";
import type { Interaction } from "./interactions.js";
import { splitInteractionsByTime } from "./interactions.js";
import { evaluateRecommender, modelItemScorer, popularityItemScorer, shouldPromoteRecommender } from "./evaluate.js";
import { trainContentInterest } from "./matrix-factorization.js";
import { contentInterestModelFromJson, contentInterestModelToJson } from "./model-codec.js";
import { recommendItems } from "./recommend.js";

/**
 * Two audiences with disjoint tastes: contacts c0..c59 read items a0..a9, d0..d59 read b0..b9 (each a random
 * 6 of its 10, spread over 60 days), plus a globally popular item "hot" everybody reads early on.
 */
function clusteredInteractions(seed = 7): Interaction[] {
  const random = seededRandom(seed);
  const start = Date.UTC(2025, 0, 1);
  const interactions: Interaction[] = [];
  for (const [prefix, items] of [
    ["c", "a"],
    ["d", "b"],
  ] as const) {
    for (let c = 0; c < 60; c++) {
      const contactId = `${prefix}${c}`;
      interactions.push({ contactId, itemId: "hot", occurredAt: new Date(start) });
      const chosen = Array.from({ length: 10 }, (_, i) => `${items}${i}`)
        .map((item) => ({ item, key: random() }))
        .sort((x, y) => x.key - y.key)
        .slice(0, 6);
      chosen.forEach(({ item }, order) =>
        interactions.push({
          contactId,
          itemId: item,
          occurredAt: new Date(start + (order * 10 + random()) * 86_400_000),
        }),
      );
    }
  }
  return interactions;
}

describe("content interest (TF.js weighted matrix factorisation)", () => {
  it("runs on the wasm backend", async () => {
    const { backend, fallbackReason } = await loadTensorFlow();
    expect(fallbackReason).toBeUndefined();
    expect(backend).toBe("wasm");
  });

  it("recommends a contact's unseen items from its own audience, beating popularity on a time split", async () => {
    const split = splitInteractionsByTime(clusteredInteractions(), 0.25);
    const model = await trainContentInterest(split.train, { seed: 1, epochs: 30 });
    const seen = new Set(split.train.filter((i) => i.contactId === "c3").map((i) => i.itemId));
    const top = recommendItems(model, "c3", 3, { exclude: seen });
    expect(top).toHaveLength(3);
    expect(top.every((item) => item.itemId.startsWith("a"))).toBe(true);
    const metrics = evaluateRecommender(modelItemScorer(model), split, 3);
    const popularity = evaluateRecommender(popularityItemScorer(split), split, 3);
    expect(metrics.contacts).toBeGreaterThan(50);
    expect(metrics.recallAtK).toBeGreaterThan(popularity.recallAtK + 0.2);
    expect(metrics.pointwise?.rocAuc).toBeGreaterThan(0.8);
    expect(shouldPromoteRecommender(metrics, popularity).promote).toBe(true);
    expect(shouldPromoteRecommender(popularity, metrics).promote).toBe(false);
  }, 60_000);

  it("is reproducible with a seed and survives its JSON form exactly", async () => {
    const interactions = clusteredInteractions().slice(0, 300);
    // batchSize 16: several contact blocks, each with its own factor variable and optimizer state.
    const first = await trainContentInterest(interactions, { seed: 3, epochs: 5, batchSize: 16 });
    const second = await trainContentInterest(interactions, { seed: 3, epochs: 5, batchSize: 16 });
    expect(Array.from(second.itemFactors)).toEqual(Array.from(first.itemFactors));
    const restored = contentInterestModelFromJson(JSON.parse(JSON.stringify(contentInterestModelToJson(first))));
    expect(recommendItems(restored, "c1", 5)).toEqual(recommendItems(first, "c1", 5));
  }, 60_000);

  it("refuses data with a single item", async () => {
    await expect(
      trainContentInterest([
        { contactId: "x", itemId: "only", occurredAt: new Date() },
        { contactId: "y", itemId: "only", occurredAt: new Date() },
      ]),
    ).rejects.toThrow(/at least 2 contacts and 2 items/);
  });
});
