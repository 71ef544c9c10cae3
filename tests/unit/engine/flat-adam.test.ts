import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTrainingEngine } from '../../../training/engine/init';
import { FlatAdam, type FlatAdamSettings } from '../../../training/engine/optim/flat-adam';
import { SimdAdam } from '../../../training/engine/optim/simd-adam';
import { randomValues, relativeError, sizeOf } from './helpers';

// 199 floats: not a multiple of 4, so SimdAdam's scalar tail runs too.
const SHAPES: Record<string, number[]> = { 'net/a': [3, 3, 4, 5], 'net/b': [5], 'net/c': [7, 2] };

type Optimizer = { applyGradients(g: Record<string, tf.Tensor>): void; dispose(): void };
const OPTIMIZERS: [string, (s: FlatAdamSettings) => Optimizer][] = [
  ['FlatAdam', (s) => new FlatAdam(s)],
  ['SimdAdam', (s) => new SimdAdam(s)],
];

beforeAll(async () => {
  await initTrainingEngine({ backend: 'wasm', log: () => {} });
});

/** Runs `steps` Adam updates with fixed pseudo-random gradients; returns the final values. */
function train(prefix: string, makeOptimizer: () => Optimizer, steps: number): Float32Array[] {
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

describe.each(OPTIMIZERS)('%s', (label, create) => {
  it.each([
    [0, 0.99],
    [0.5, 0.999],
  ])('matches tf.train.adam (β1 %s, β2 %s) over 6 steps', (b1, b2) => {
    const ours = train(`${label}${b1}/`, () => create({ learningRate: 1e-2, beta1: b1, beta2: b2 }), 6);
    // tf.train.adam takes the same map of gradients keyed by variable name.
    const reference = train(`tfjs${label}${b1}/`, () => tf.train.adam(1e-2, b1, b2) as unknown as Optimizer, 6);
    ours.forEach((values, i) => expect(relativeError(values, reference[i])).toBeLessThan(1e-5));
  });

  it('keeps the tensor count flat across steps and frees its moments', () => {
    const before = tf.memory().numTensors;
    const init = tf.ones([4, 4]);
    const v = tf.variable(init, true, `${label}leak/w`);
    init.dispose();
    const opt = create({ learningRate: 1e-3, beta1: 0, beta2: 0.99 });
    const step = () => {
      const g = { [`${label}leak/w`]: tf.onesLike(v) };
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
    const a = tf.variable(tf.ones([2]), true, `${label}set/a`);
    const b = tf.variable(tf.ones([2]), true, `${label}set/b`);
    const opt = create({ learningRate: 1e-3, beta1: 0, beta2: 0.99 });
    opt.applyGradients({ [`${label}set/a`]: tf.ones([2]) });
    expect(() => opt.applyGradients({ [`${label}set/b`]: tf.ones([2]) })).toThrow(new RegExp(`one ${label} per network`));
    opt.dispose();
    tf.dispose([a, b]);
  });
});
