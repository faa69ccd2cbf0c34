import type { ModelMetrics } from "../metrics.js";
import { computeMetrics, precisionAtK, recallAtK } from "../metrics.js";
import { interactionCounts, type InteractionSplit } from "./interactions.js";
import type { ContentInterestModel } from "./matrix-factorization.js";
import { contactIndexOf, itemScores } from "./recommend.js";

/** Validation metrics of a recommender: ranking quality at k, and the pointwise metrics of ModelMetrics. */
export interface RecommenderMetrics {
  readonly k: number;
  /** Mean over validation contacts of the share of the top k that the contact went on to use. */
  readonly precisionAtK: number;
  /** Mean over validation contacts of the share of the items it went on to use found in the top k. */
  readonly recallAtK: number;
  /** Contacts with at least one new item in the validation period. */
  readonly contacts: number;
  /** ROC AUC, PR AUC, log loss, calibration over every (validation contact, candidate item) pair. */
  readonly pointwise: ModelMetrics | null;
}

/** How a recommender scores items for a contact: a trained model, or popularity (the baseline). */
export type ItemScorer = (contactId: string) => {
  readonly itemIds: readonly string[];
  readonly scores: ArrayLike<number>;
};

export function modelItemScorer(model: ContentInterestModel): ItemScorer {
  const index = contactIndexOf(model);
  return (contactId) => ({ itemIds: model.itemIds, scores: itemScores(model, contactId, index) });
}

/** The baseline: every contact gets the items most interacted with in the training period. */
export function popularityItemScorer(split: InteractionSplit): ItemScorer {
  const popularity = new Map<string, number>();
  for (const interaction of split.train)
    popularity.set(interaction.itemId, (popularity.get(interaction.itemId) ?? 0) + (interaction.weight ?? 1));
  const itemIds = [...popularity.keys()].sort();
  const total = [...popularity.values()].reduce((sum, count) => sum + count, 0);
  const scores = itemIds.map((item) => (popularity.get(item) as number) / total);
  return () => ({ itemIds, scores });
}

/**
 * Evaluates a recommender on a time split: for every contact that used items in the validation period that
 * it had not used in training, the candidate items are all items except its training ones; relevant are
 * the new ones. Averages precision@k and recall@k over those contacts (at most `maxContacts`, in id order).
 */
export function evaluateRecommender(
  scorer: ItemScorer,
  split: InteractionSplit,
  k: number,
  maxContacts = 2000,
): RecommenderMetrics {
  const trained = interactionCounts(split.train);
  const later = interactionCounts(split.validation);
  let precision = 0;
  let recall = 0;
  let contacts = 0;
  const pairLabels: number[] = [];
  const pairScores: number[] = [];
  for (const contactId of [...later.keys()].sort()) {
    if (contacts >= maxContacts) break;
    const seen = trained.get(contactId) ?? new Map<string, number>();
    const relevant = new Set(
      [...(later.get(contactId) as Map<string, number>).keys()].filter((item) => !seen.has(item)),
    );
    if (relevant.size === 0) continue;
    const { itemIds, scores } = scorer(contactId);
    const labels: number[] = [];
    const candidateScores: number[] = [];
    itemIds.forEach((item, i) => {
      if (seen.has(item)) return;
      labels.push(relevant.has(item) ? 1 : 0);
      candidateScores.push(scores[i] as number);
    });
    // Relevant items the model does not know still count against recall.
    const missing = [...relevant].filter((item) => !itemIds.includes(item)).length;
    const found = labels.length === 0 ? 0 : recallAtK(labels, candidateScores, k) * (relevant.size - missing);
    precision += labels.length === 0 ? 0 : precisionAtK(labels, candidateScores, k);
    recall += found / relevant.size;
    contacts++;
    pairLabels.push(...labels);
    pairScores.push(...candidateScores);
  }
  const hasBoth = pairLabels.includes(0) && pairLabels.includes(1);
  return {
    k,
    precisionAtK: contacts === 0 ? Number.NaN : precision / contacts,
    recallAtK: contacts === 0 ? Number.NaN : recall / contacts,
    contacts,
    pointwise: hasBoth ? computeMetrics(pairLabels, pairScores) : null,
  };
}

/**
 * Promotion rule of recommenders, on the same validation interactions: the candidate must find more of
 * what contacts went on to use (recall@k strictly higher) without losing more than `maxPrecisionLoss`
 * (share) of precision@k. With no current version, any candidate with a finite recall@k is promoted.
 */
export function shouldPromoteRecommender(
  candidate: RecommenderMetrics,
  current: RecommenderMetrics | null | undefined,
  maxPrecisionLoss = 0.05,
): { readonly promote: boolean; readonly reason: string } {
  if (!Number.isFinite(candidate.recallAtK))
    return { promote: false, reason: "candidate recall@k is not a number (no validation contacts)" };
  if (current === null || current === undefined || !Number.isFinite(current.recallAtK))
    return { promote: true, reason: "no current version" };
  if (!(candidate.recallAtK > current.recallAtK))
    return {
      promote: false,
      reason: `recall@${candidate.k} ${candidate.recallAtK.toFixed(4)} does not beat current ${current.recallAtK.toFixed(4)}`,
    };
  if (candidate.precisionAtK < current.precisionAtK * (1 - maxPrecisionLoss))
    return {
      promote: false,
      reason: `precision@${candidate.k} ${candidate.precisionAtK.toFixed(4)} is more than ${maxPrecisionLoss * 100}% below current ${current.precisionAtK.toFixed(4)}`,
    };
  return {
    promote: true,
    reason: `recall@${candidate.k} ${candidate.recallAtK.toFixed(4)} beats current ${current.recallAtK.toFixed(4)}`,
  };
}
