import { createHash } from "node:crypto";
import type { EmailVariant } from "@cascade/contracts";

/**
 * Picks an A/B variant by weight, deterministically per (experiment, contact): the same contact always gets
 * the same variant of the same step. `experiment` is the workflow node (or template) the variants belong to.
 */
export function pickVariant(
  variants: ReadonlyArray<EmailVariant>,
  experiment: string,
  contactId: string,
): EmailVariant | undefined {
  const eligible = variants.filter((variant) => variant.weight > 0);
  const total = eligible.reduce((sum, variant) => sum + variant.weight, 0);
  if (total === 0) return undefined;
  const digest = createHash("sha256").update(`${experiment}\u0000${contactId}`).digest();
  // 48 bits of the hash as a uniform number in [0, 1).
  const unit = digest.readUIntBE(0, 6) / 2 ** 48;
  let point = unit * total;
  for (const variant of eligible) {
    if (point < variant.weight) return variant;
    point -= variant.weight;
  }
  return eligible[eligible.length - 1];
}
