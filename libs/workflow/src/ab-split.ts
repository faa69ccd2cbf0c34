/**
 * Deterministic A/B assignment: the same contact always lands in the same variant of the same node,
 * with proportions that follow the weights. Uses a 32-bit FNV-1a hash (no crypto dependency, runs
 * in the browser and in Node).
 */

export interface WeightedVariant {
  readonly id: string;
  /** Relative weight; need not sum to 100. Zero-weight variants are never chosen. */
  readonly weight: number;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over the UTF-16LE bytes of `text` (two bytes per code unit), as an unsigned integer. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    hash ^= unit & 0xff;
    hash = Math.imul(hash, FNV_PRIME);
    hash ^= unit >>> 8;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * A stable number in [0, 1) for (contact, node, salt). FNV-1a alone mixes the last characters weakly,
 * so a final avalanche step (from murmur3's fmix32) spreads nearby ids evenly.
 */
export function stableUnitInterval(contactId: string, nodeId: string, salt = ""): number {
  let hash = fnv1a32(`${salt}\u0000${nodeId}\u0000${contactId}`);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}

/**
 * Picks a variant id for a contact at an ab_split node, deterministically and in proportion to the weights.
 * Throws a RangeError when there is no variant with a positive, finite weight.
 */
export function assignVariant(
  contactId: string,
  nodeId: string,
  variants: readonly WeightedVariant[],
  salt = "",
): string {
  const usable = variants.filter((variant) => Number.isFinite(variant.weight) && variant.weight > 0);
  const total = usable.reduce((sum, variant) => sum + variant.weight, 0);
  if (usable.length === 0 || total <= 0) {
    throw new RangeError(`ab_split node '${nodeId}' has no variant with a positive weight`);
  }
  const point = stableUnitInterval(contactId, nodeId, salt) * total;
  let cumulative = 0;
  for (const variant of usable) {
    cumulative += variant.weight;
    if (point < cumulative) return variant.id;
  }
  return (usable[usable.length - 1] as WeightedVariant).id;
}
