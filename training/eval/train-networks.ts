import * as tf from '@tensorflow/tfjs-core';
// The union package registers every op's gradient (tfjs-core alone registers none).
import '@tensorflow/tfjs';
import { mulberry32, type Rng } from '../../model/rng';
import { VariableStore } from '../../model/ops/eager';
import type { EvalConfig, NetworkTraining } from './config';
import { encodeImages, encodeTexts, mlp, sentenceMatchingLoss, weightPenalty } from './networks';

/** Trained parameters as plain arrays (VariableStore.snapshot), the unit the cache stores. */
export type Weights = Map<string, { shape: number[]; values: Float32Array }>;

export function shuffled(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function stack(rows: readonly Float32Array[], idx: readonly number[]): tf.Tensor2D {
  const d = rows[0].length;
  const out = new Float32Array(idx.length * d);
  idx.forEach((r, i) => out.set(rows[r], i * d));
  return tf.tensor2d(out, [idx.length, d]);
}

/** Runs `epochs` passes of Adam over shuffled minibatches; `lossOf` builds one batch's loss. */
async function fit(store: VariableStore, n: number, t: NetworkTraining, seed: number, lossOf: (batch: number[], rng: Rng) => tf.Scalar, log?: (l: string) => void): Promise<void> {
  const rng = mulberry32(seed);
  const optimizer = tf.train.adam(t.learningRate);
  // The first call creates the variables; the optimizer then sees them all.
  tf.tidy(() => lossOf(shuffled(n, rng).slice(0, Math.min(t.batch, n)), rng));
  const varList = [...store.vars.values()];
  for (let epoch = 0; epoch < t.epochs; epoch++) {
    const order = shuffled(n, rng);
    let total = 0;
    let batches = 0;
    for (let at = 0; at + 2 <= n; at += t.batch) {
      const batch = order.slice(at, at + t.batch);
      if (batch.length < 2) break;
      const loss = optimizer.minimize(() => tf.add(lossOf(batch, rng), weightPenalty(store, t.weightDecay)) as tf.Scalar, true, varList);
      total += (await loss!.data())[0];
      loss!.dispose();
      batches++;
    }
    if (log) log(`    epoch ${epoch + 1}/${t.epochs} loss ${(total / batches).toFixed(4)}`);
  }
  optimizer.dispose();
}

/** A softmax classifier over standardised image descriptors. */
export async function trainClassifier(name: string, features: readonly Float32Array[], labels: readonly number[], classes: number, t: NetworkTraining, seed: number, log?: (l: string) => void): Promise<Weights> {
  const store = new VariableStore(seed);
  try {
    await fit(store, features.length, t, seed, (batch) => {
      const x = stack(features, batch); // [B, F]
      const y = tf.oneHot(tf.tensor1d(batch.map((i) => labels[i]), 'int32'), classes); // [B, C]
      return tf.losses.softmaxCrossEntropy(y, mlp(store, name, x, t.hidden, classes)) as tf.Scalar;
    }, log);
    return await store.snapshot();
  } finally {
    store.dispose();
  }
}

export interface EvaluatorTrainingData {
  /** Standardised image descriptor per training image. [F] each */
  images: readonly Float32Array[];
  /** Caption n-gram bags per training image (one is drawn per step). [V] each */
  captions: readonly Float32Array[][];
  /** Class per image for the negative mask (the expression). */
  classes: readonly string[];
}

/** DAMSM-style image and text encoders trained with the sentence matching loss. */
export async function trainEvaluator(d: EvaluatorTrainingData, cfg: EvalConfig['evaluator'], seed: number, log?: (l: string) => void, member = 0): Promise<Weights> {
  const store = new VariableStore(seed);
  try {
    await fit(store, d.images.length, cfg, seed, (batch, rng) => {
      const x = stack(d.images, batch); // [B, F]
      const bags = batch.map((i) => d.captions[i][Math.floor(rng() * d.captions[i].length)]);
      const txt = stack(bags, bags.map((_, i) => i)); // [B, V]
      const same = tf.tensor2d(batch.flatMap((a, i) => batch.map((b, j) => (i !== j && d.classes[a] === d.classes[b] ? 1 : 0))), [batch.length, batch.length]);
      return sentenceMatchingLoss(encodeImages(store, x, cfg.hidden, cfg.embedDim, member), encodeTexts(store, txt, cfg.hidden, cfg.embedDim, member), same, cfg.gamma);
    }, log);
    return await store.snapshot();
  } finally {
    store.dispose();
  }
}
