import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mulberry32, normalArray } from '../../../model/rng';
import { VariableStore } from '../../../model/ops/eager';
import { encodeImages, encodeTexts, mlp } from '../../../training/eval/networks';
import { rPrecision, topKAccuracy } from '../../../training/eval/metrics';
import { trainClassifier, trainEvaluator } from '../../../training/eval/train-networks';

/** 12 classes; an image is its class's prototype plus noise, a caption is the class's one-hot word bag. */
const CLASSES = 12;
const rng = mulberry32(5);
const prototypes = Array.from({ length: CLASSES }, () => normalArray(rng, 16));
const imageOf = (c: number) => prototypes[c].map((v) => v + 0.3 * normalArray(rng, 1)[0]);
const bagOf = (c: number) => Float32Array.from({ length: CLASSES }, (_, j) => Number(j === c));
const net = { hidden: 32, epochs: 20, batch: 12, learningRate: 3e-3, weightDecay: 0 };

function withStore<T>(weights: Map<string, { shape: number[]; values: Float32Array }>, f: (s: VariableStore) => T): T {
  const store = new VariableStore(0, false);
  store.load(weights);
  try {
    return f(store);
  } finally {
    store.dispose();
  }
}

describe('evaluator networks on separable toy data', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('DAMSM-style training makes R-precision near 100% (chance is 1 in 12)', async () => {
    const labels = Array.from({ length: 96 }, (_, i) => i % CLASSES);
    const cfg = { ...net, embedDim: 8, gamma: 10, minNgramCount: 1 };
    const w = await trainEvaluator({ images: labels.map(imageOf), captions: labels.map((c) => [bagOf(c)]), classes: labels.map(String) }, cfg, 11);
    const test = Array.from({ length: 48 }, (_, i) => i % CLASSES);
    const [img, txt] = withStore(w, (s) => [
      encodeImages(s, tf.tensor2d(test.flatMap((c) => [...imageOf(c)]), [test.length, 16]), cfg.hidden, cfg.embedDim).arraySync(),
      encodeTexts(s, tf.tensor2d(Array.from({ length: CLASSES }, (_, c) => [...bagOf(c)])), cfg.hidden, cfg.embedDim).arraySync(),
    ]);
    const queries = test.map((c, i) => ({ image: img[i], candidates: [txt[c], ...txt.filter((_, k) => k !== c)] }));
    expect(rPrecision(queries, 4).mean).toBeGreaterThan(0.9);
  });

  it('the classifier learns the toy classes and training is deterministic given a seed', async () => {
    const labels = Array.from({ length: 96 }, (_, i) => i % CLASSES);
    const x = labels.map(imageOf);
    const a = await trainClassifier('toy', x, labels, CLASSES, net, 3);
    const b = await trainClassifier('toy', x, labels, CLASSES, net, 3);
    expect([...a.get('toy/fc2/w')!.values]).toEqual([...b.get('toy/fc2/w')!.values]);
    const scores = withStore(a, (s) => mlp(s, 'toy', tf.tensor2d(x.flatMap((r) => [...r]), [x.length, 16]), net.hidden, CLASSES).arraySync());
    expect(topKAccuracy(scores, labels, 1)).toBeGreaterThan(0.95);
  });
});
