import { ModelTrainingError } from "../errors.js";
import { seededRandom, shuffleInPlace } from "../random.js";
import { loadTensorFlow } from "../tfjs-backend.js";
import type { Scalar, Tensor } from "@tensorflow/tfjs";
import { interactionCounts, type Interaction } from "./interactions.js";

export interface ContentInterestOptions {
  /** Latent factors per contact and item; default 16. */
  readonly factors?: number;
  /** Passes over all contacts; default 40. */
  readonly epochs?: number;
  /** Adam learning rate; default 0.05. */
  readonly learningRate?: number;
  /** L2 penalty on the factors; default 0.001. */
  readonly l2?: number;
  /** Weight of an observed cell is 1 + alpha × log(1 + count); default 4. */
  readonly alpha?: number;
  /** Weight of an unobserved cell (implicit negative); default 0.1. */
  readonly negativeWeight?: number;
  /** Contacts per gradient step; default 256. */
  readonly batchSize?: number;
  /** Items kept (most interacted first); default 2000. */
  readonly maxItems?: number;
  /** Seed of the initial factors and the batch order; default 42. */
  readonly seed?: number;
  /** Incremental training: contacts and items this model knows start from its factors. */
  readonly warmStart?: ContentInterestModel;
}

/**
 * A fitted weighted matrix factorisation of the contact × item interaction matrix (implicit feedback):
 * p(contact c interacts with item i) = sigmoid(u_c · v_i + b_i + b). Factors are row-major float arrays.
 */
export interface ContentInterestModel {
  readonly algorithm: "weighted_mf";
  readonly factors: number;
  readonly contactIds: readonly string[];
  readonly itemIds: readonly string[];
  readonly contactFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly itemBias: Float32Array;
  readonly globalBias: number;
  /** The TF.js backend the model was trained on. */
  readonly backend: string;
}

const DEFAULTS = {
  factors: 16,
  epochs: 40,
  learningRate: 0.05,
  l2: 0.001,
  alpha: 4,
  negativeWeight: 0.1,
  batchSize: 256,
  maxItems: 2000,
  seed: 42,
};

/**
 * Trains weighted matrix factorisation with TensorFlow.js (Adam on the weighted logistic loss over every
 * cell of the contact × item matrix: observed cells are positives weighted by how often they happened,
 * unobserved cells weak negatives — the implicit-feedback objective of Hu, Koren & Volinsky with a
 * logistic link). Contacts are processed in dense blocks of `batchSize` rows, each with its own factor
 * variable, so a step touches only its block. Deterministic for a seed on one backend.
 */
export async function trainContentInterest(
  interactions: readonly Interaction[],
  options: ContentInterestOptions = {},
): Promise<ContentInterestModel> {
  const settings = { ...DEFAULTS, ...options };
  const counts = interactionCounts(interactions);
  const popularity = new Map<string, number>();
  for (const items of counts.values())
    for (const [item, count] of items) popularity.set(item, (popularity.get(item) ?? 0) + count);
  const itemIds = [...popularity.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, settings.maxItems)
    .map(([item]) => item)
    .sort();
  const contactIds = [...counts.keys()].sort();
  if (contactIds.length < 2 || itemIds.length < 2)
    throw new ModelTrainingError(
      `content interest: needs at least 2 contacts and 2 items, got ${contactIds.length} and ${itemIds.length}`,
    );
  const itemIndex = new Map(itemIds.map((item, i) => [item, i]));
  const k = settings.factors;
  const itemCount = itemIds.length;
  const { tf, backend } = await loadTensorFlow();
  const random = seededRandom(settings.seed);
  const gaussian = (): number => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random()) * 0.1;
  };
  const warm = settings.warmStart;
  const warmContact = new Map(warm?.contactIds.map((id, i) => [id, i]));
  const warmItem = new Map(warm?.itemIds.map((id, i) => [id, i]));
  const initial = (size: number, warmRow: number | undefined, source: Float32Array | undefined): number[] =>
    Array.from({ length: size }, (_, f) =>
      warmRow !== undefined && source !== undefined && warm?.factors === k
        ? (source[warmRow * k + f] as number)
        : gaussian(),
    );

  let observed = 0;
  for (const items of counts.values()) for (const item of items.keys()) if (itemIndex.has(item)) observed++;
  const density = Math.min(0.5, Math.max(1e-6, observed / (contactIds.length * itemCount)));

  const blocks: { start: number; size: number; targets: Float32Array; weights: Float32Array }[] = [];
  for (let start = 0; start < contactIds.length; start += settings.batchSize) {
    const size = Math.min(settings.batchSize, contactIds.length - start);
    const targets = new Float32Array(size * itemCount);
    const weights = new Float32Array(size * itemCount).fill(settings.negativeWeight);
    for (let r = 0; r < size; r++) {
      for (const [item, count] of counts.get(contactIds[start + r] as string) ?? []) {
        const column = itemIndex.get(item);
        if (column === undefined) continue;
        targets[r * itemCount + column] = 1;
        weights[r * itemCount + column] = 1 + settings.alpha * Math.log1p(count);
      }
    }
    blocks.push({ start, size, targets, weights });
  }

  const itemInit = itemIds.flatMap((id) => initial(k, warmItem.get(id), warm?.itemFactors));
  const V = tf.variable(tf.tensor2d(itemInit, [itemCount, k]));
  const itemBiasInit = itemIds.map((id) => {
    const row = warmItem.get(id);
    return row !== undefined && warm ? (warm.itemBias[row] as number) : 0;
  });
  const itemBias = tf.variable(tf.tensor1d(itemBiasInit));
  const globalBias = tf.variable(tf.scalar(warm ? warm.globalBias : Math.log(density / (1 - density))));
  const contactBlocks = blocks.map((block) =>
    tf.variable(
      tf.tensor2d(
        contactIds
          .slice(block.start, block.start + block.size)
          .flatMap((id) => initial(k, warmContact.get(id), warm?.contactFactors)),
        [block.size, k],
      ),
    ),
  );
  // Adam keeps its moments by position in the variable list, so the shared variables have one optimizer
  // and each contact block its own.
  const sharedOptimizer = tf.train.adam(settings.learningRate);
  const blockOptimizers = blocks.map(() => tf.train.adam(settings.learningRate));
  const order = blocks.map((_, b) => b);
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      for (const b of shuffleInPlace(order, random)) {
        const block = blocks[b] as (typeof blocks)[number];
        const U = contactBlocks[b] as (typeof contactBlocks)[number];
        tf.tidy(() => {
          const targets = tf.tensor2d(block.targets, [block.size, itemCount]);
          const weights = tf.tensor2d(block.weights, [block.size, itemCount]);
          const totalWeight = weights.sum();
          const { grads } = tf.variableGrads(() => {
            const logits = tf.matMul(U, V, false, true).add(itemBias).add(globalBias);
            const cellLoss = tf.softplus(logits).sub(targets.mul(logits));
            const dataLoss = cellLoss.mul(weights).sum().div(totalWeight);
            const penalty = U.square().mean().add(V.square().mean()).mul(settings.l2);
            return dataLoss.add(penalty) as Scalar;
          }, [U, V, itemBias, globalBias]);
          const { [U.name]: blockGradient, ...sharedGradients } = grads;
          sharedOptimizer.applyGradients(Object.entries(sharedGradients).map(([name, tensor]) => ({ name, tensor })));
          (blockOptimizers[b] as typeof sharedOptimizer).applyGradients([
            { name: U.name, tensor: blockGradient as Tensor },
          ]);
        });
      }
    }
    const contactFactors = new Float32Array(contactIds.length * k);
    blocks.forEach((block, b) =>
      contactFactors.set((contactBlocks[b] as (typeof contactBlocks)[number]).dataSync(), block.start * k),
    );
    const model: ContentInterestModel = {
      algorithm: "weighted_mf",
      factors: k,
      contactIds,
      itemIds,
      contactFactors,
      itemFactors: Float32Array.from(V.dataSync()),
      itemBias: Float32Array.from(itemBias.dataSync()),
      globalBias: (globalBias.dataSync()[0] as number) ?? 0,
      backend,
    };
    if (![model.contactFactors, model.itemFactors, model.itemBias].every((array) => array.every(Number.isFinite)))
      throw new ModelTrainingError("content interest: training diverged (non-finite factors)");
    return model;
  } finally {
    sharedOptimizer.dispose();
    for (const optimizer of blockOptimizers) optimizer.dispose();
    for (const variable of [V, itemBias, globalBias, ...contactBlocks]) variable.dispose();
  }
}
