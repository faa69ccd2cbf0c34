import type { Activity } from "../features/activity.js";
import {
  activeBetween,
  computeFeatures,
  purchasedBetween,
  type ContactFeatures,
} from "../features/feature-definitions.js";
import type { ClassifierModelName } from "../shared/model-names.js";

const DAY_MS = 86_400_000;

export interface LabelSettings {
  readonly featureWindowDays: number;
  /** churn: inactive for this many days after the cutoff. */
  readonly churnInactivityDays: number;
  /** purchase_intent: a purchase within this many days after the cutoff. */
  readonly purchaseWindowDays: number;
  /** Cutoffs, a week apart, ending one label window before `now`. */
  readonly snapshots: number;
}

/** One labelled example: a contact's features at a cutoff and what happened after it. */
export interface LabelledRow {
  readonly contactId: string;
  readonly cutoff: Date;
  readonly features: ContactFeatures;
  readonly label: 0 | 1;
}

export function labelWindowDays(model: ClassifierModelName, settings: LabelSettings): number {
  return model === "churn" ? settings.churnInactivityDays : settings.purchaseWindowDays;
}

/**
 * The cutoffs of a training run, oldest first: the latest is one label window before `now` (so its label
 * is fully observed), the others a week apart before it.
 */
export function trainingCutoffs(model: ClassifierModelName, settings: LabelSettings, now: Date): Date[] {
  const latest = now.getTime() - labelWindowDays(model, settings) * DAY_MS;
  return Array.from(
    { length: settings.snapshots },
    (_, k) => new Date(latest - (settings.snapshots - 1 - k) * 7 * DAY_MS),
  );
}

/**
 * Labelled rows from the stream, time-split ready: for every cutoff T, every contact active in the feature
 * window before T gets its features as of T (nothing after T is read) and its label from (T, T + label window]:
 * churn = no activity at all in that window; purchase_intent = a purchase in it.
 */
export function buildLabelledRows(
  model: ClassifierModelName,
  activityByContact: ReadonlyMap<string, readonly Activity[]>,
  settings: LabelSettings,
  now: Date,
): LabelledRow[] {
  const rows: LabelledRow[] = [];
  const labelMs = labelWindowDays(model, settings) * DAY_MS;
  for (const cutoff of trainingCutoffs(model, settings, now)) {
    const windowStart = new Date(cutoff.getTime() - settings.featureWindowDays * DAY_MS);
    const labelEnd = new Date(cutoff.getTime() + labelMs);
    for (const [contactId, activity] of activityByContact) {
      if (!activeBetween(activity, windowStart, cutoff)) continue;
      const label =
        model === "churn"
          ? activeBetween(activity, cutoff, labelEnd)
            ? 0
            : 1
          : purchasedBetween(activity, cutoff, labelEnd)
            ? 1
            : 0;
      rows.push({ contactId, cutoff, features: computeFeatures(activity, cutoff, settings.featureWindowDays), label });
    }
  }
  return rows;
}

/** How far back a training run reads activity. */
export function trainingHorizonStart(model: ClassifierModelName, settings: LabelSettings, now: Date): Date {
  const first = trainingCutoffs(model, settings, now)[0] as Date;
  return new Date(first.getTime() - settings.featureWindowDays * DAY_MS);
}
