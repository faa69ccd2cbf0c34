import type { ContentInterestModel } from "./matrix-factorization.js";

/** One recommended item and the model's probability that the contact engages with it. */
export interface Recommendation {
  readonly itemId: string;
  readonly score: number;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Looks contacts up by id once, for scoring many. */
export function contactIndexOf(model: ContentInterestModel): Map<string, number> {
  return new Map(model.contactIds.map((id, i) => [id, i]));
}

/**
 * The probability of each of the model's items for one contact (in `model.itemIds` order). A contact
 * the model has not seen gets the item popularity alone (zero factors).
 */
export function itemScores(
  model: ContentInterestModel,
  contactId: string,
  index = contactIndexOf(model),
): Float64Array {
  const k = model.factors;
  const row = index.get(contactId);
  const scores = new Float64Array(model.itemIds.length);
  for (let i = 0; i < scores.length; i++) {
    let z = (model.itemBias[i] as number) + model.globalBias;
    if (row !== undefined)
      for (let f = 0; f < k; f++)
        z += (model.contactFactors[row * k + f] as number) * (model.itemFactors[i * k + f] as number);
    scores[i] = sigmoid(z);
  }
  return scores;
}

/**
 * The contact's top `n` items, best first, leaving out `exclude` (items it already interacted with) and
 * items scoring below `minScore`. Ties keep item id order.
 */
export function recommendItems(
  model: ContentInterestModel,
  contactId: string,
  n: number,
  options: {
    readonly exclude?: ReadonlySet<string>;
    readonly minScore?: number;
    readonly index?: Map<string, number>;
  } = {},
): Recommendation[] {
  const scores = itemScores(model, contactId, options.index);
  const minScore = options.minScore ?? 0;
  const candidates: Recommendation[] = [];
  model.itemIds.forEach((itemId, i) => {
    const score = scores[i] as number;
    if (score >= minScore && !options.exclude?.has(itemId)) candidates.push({ itemId, score });
  });
  return candidates.sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1)).slice(0, Math.max(0, n));
}
