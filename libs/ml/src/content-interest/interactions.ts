import { MlError } from "../errors.js";
import { timeSplit } from "../split.js";

/** A contact's interaction with a content item (a view, share, …); repeated interactions add up. */
export interface Interaction {
  readonly contactId: string;
  readonly itemId: string;
  readonly occurredAt: Date;
  /** Strength of the interaction; default 1. */
  readonly weight?: number;
}

/** Earlier interactions train, the latest `validationFraction` validate (equal times stay together). */
export interface InteractionSplit {
  readonly train: readonly Interaction[];
  readonly validation: readonly Interaction[];
}

/** Time split for recommendations: the model is validated on interactions that happened after its training data. */
export function splitInteractionsByTime(
  interactions: readonly Interaction[],
  validationFraction: number,
): InteractionSplit {
  if (interactions.length < 2)
    throw new MlError(
      "TOO_FEW_ROWS",
      `content interest: ${interactions.length} interactions cannot be split for validation`,
    );
  const split = timeSplit(
    interactions.map((interaction) => interaction.occurredAt),
    validationFraction,
  );
  return {
    train: split.train.map((i) => interactions[i] as Interaction),
    validation: split.validation.map((i) => interactions[i] as Interaction),
  };
}

/** Summed weight per contact and item. */
export function interactionCounts(interactions: readonly Interaction[]): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const interaction of interactions) {
    const weight = interaction.weight ?? 1;
    if (!(weight > 0) || !Number.isFinite(weight))
      throw new MlError(
        "TRAINING_FAILED",
        `content interest: interaction weight must be a positive number, got ${weight}`,
      );
    let items = counts.get(interaction.contactId);
    if (items === undefined) counts.set(interaction.contactId, (items = new Map()));
    items.set(interaction.itemId, (items.get(interaction.itemId) ?? 0) + weight);
  }
  return counts;
}
