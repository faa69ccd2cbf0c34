import type { JsonObject, JsonValue } from "@cascade/contracts";

/** A contact's traits: a flat JSON object (values may be nested JSON). */
export type Traits = JsonObject;

export interface TraitPatchResult {
  traits: Traits;
  /** Keys whose value was set to something different or removed, in patch order. */
  changedKeys: string[];
  /** Previous values of the changed keys that existed before. */
  previous: Traits;
}

/**
 * Applies an identify call's traits: a shallow merge where a key with `null` removes the trait and any
 * other value replaces it. Keys whose value does not change are not reported.
 */
export function applyTraitPatch(current: Traits, patch: Traits): TraitPatchResult {
  const traits: Traits = { ...current };
  const changedKeys: string[] = [];
  const previous: Traits = {};
  for (const [key, value] of Object.entries(patch)) {
    const before = current[key];
    if (value === null) {
      if (!(key in current)) continue;
      delete traits[key];
    } else {
      if (before !== undefined && sameJson(before, value)) continue;
      traits[key] = value;
    }
    changedKeys.push(key);
    if (before !== undefined) previous[key] = before;
  }
  return { traits, changedKeys, previous };
}

/**
 * Traits of a merged contact: the known (target) contact's value wins for keys both have; keys only the
 * merged-in (anonymous) contact has are kept.
 */
export function mergeTraits(known: Traits, mergedIn: Traits): Traits {
  return { ...mergedIn, ...known };
}

function sameJson(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
