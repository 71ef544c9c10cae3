import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTrainingEngine } from '../../../training/engine/init';
import { FlatAdam } from '../../../training/engine/optim/flat-adam';
import { randomValues, relativeError, sizeOf } from './helpers';

const SHAPES: Record<string, number[]> = { 'net/a': [3, 3, 4, 5], 'net/b': [5], 'net/c': [7, 2] };

beforeAll(async () => {
  await initTrainingEngine({ backend: 'wasm', log: () => {} });
});

/** Runs `steps` Adam updates with fixed pseudo-random gradients; returns the final values. */
function train(prefix: string, makeOptimizer: () => { applyGradients(g: Record<string, tf.Tensor>): void; dispose(): void }, steps: number): Float32Array[] {
  const vars = Object.entries(SHAPES).map(([n, shape], i) => tf.variable(tf.tensor(randomValues(sizeOf(shape), i + 1), shape), true, `${prefix}${n}`));
  const opt = makeOptimizer();
  for (let s = 0; s < steps; s++) {
    const grads = tf.tidy(() =>
      Object.fromEntries(vars.map((v, i) => [v.name, tf.mul(tf.tensor(randomValues(v.size, 100 * s + i), v.shape), s + 1)])),
    ) as Record<string, tf.Tensor>;
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const out = vars.map((v) => Float32Array.from(v.dataSync()));
  opt.dispose();
  tf.dispose(vars);
  return out;
}

describe('FlatAdam', () => {
  it.each([
    [0, 0.99],
    [0.5, 0.999],
  ])('matches tf.train.adam (β1 %s, β2 %s) over 6 steps', (b1, b2) => {
    const ours = train(`flat${b1}/`, () => new FlatAdam({ learningRate: 1e-2, beta1: b1, beta2: b2 }), 6);
    // tf.train.adam takes the same map of gradients keyed by variable name.
    const reference = train(`tfjs${b1}/`, () => tf.train.adam(1e-2, b1, b2) as unknown as FlatAdam, 6);
    ours.forEach((values, i) => expect(relativeError(values, reference[i])).toBeLessThan(1e-5));
  });

  it('keeps the tensor count flat across steps and frees its moments', () => {
    const before = tf.memory().numTensors;
    const init = tf.ones([4, 4]);
    const v = tf.variable(init, true, 'leak/w');
    init.dispose();
    const opt = new FlatAdam({ learningRate: 1e-3, beta1: 0, beta2: 0.99 });
    const step = () => {
      const g = { 'leak/w': tf.onesLike(v) };
      opt.applyGradients(g);
      tf.dispose(Object.values(g));
    };
    step();
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(after1);
    opt.dispose();
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a different variable set with a message that says what to do', () => {
    const a = tf.variable(tf.ones([2]), true, 'set/a');
    const b = tf.variable(tf.ones([2]), true, 'set/b');
    const opt = new FlatAdam({ learningRate: 1e-3, beta1: 0, beta2: 0.99 });
    opt.applyGradients({ 'set/a': tf.ones([2]) });
    expect(() => opt.applyGradients({ 'set/b': tf.ones([2]) })).toThrow(/one FlatAdam per network/);
    opt.dispose();
    tf.dispose([a, b]);
  });
});
