import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectTrainingBackend } from '../../../training/engine/backend';
import { directionalCheck, onBackend, randomValues, relativeError, sizeOf } from './helpers';

const tensor = (shape: number[], seed: number) => tf.tensor(randomValues(sizeOf(shape), seed), shape);

beforeAll(async () => {
  expect((await selectTrainingBackend({ override: 'wasm', log: () => {} })).name).toBe('wasm');
});

describe('Slice on wasm (copies only the box)', () => {
  const CASES: { shape: number[]; begin: number[]; size: number[] }[] = [
    { shape: [7], begin: [2], size: [4] },
    { shape: [5, 6], begin: [1, 0], size: [3, 6] }, // contiguous rows
    { shape: [5, 6], begin: [1, 2], size: [3, 3] },
    { shape: [3, 3, 4, 5], begin: [2, 1, 0, 0], size: [1, 1, 4, 5] }, // one filter tap
    { shape: [2, 7, 9, 3], begin: [0, 1, 2, 0], size: [2, 5, 6, 3] }, // an image window
    { shape: [2, 7, 9, 3], begin: [1, 0, 0, 1], size: [1, 7, 9, 2] }, // a channel range
    { shape: [2, 3, 4, 5, 6], begin: [1, 0, 1, 2, 0], size: [1, 3, 2, 3, 6] }, // rank 5
    { shape: [4, 4], begin: [1, 1], size: [0, 2] }, // empty
  ];
  it.each(CASES.map((c) => [`${c.shape} from ${c.begin} size ${c.size}`, c] as const))('%s matches cpu', async (_n, c) => {
    const run = () => [tf.slice(tensor(c.shape, 1), c.begin, c.size)];
    const wasm = await onBackend('wasm', run);
    const cpu = await onBackend('cpu', run);
    expect(wasm[0].length).toBe(sizeOf(c.size));
    expect(Array.from(wasm[0])).toEqual(Array.from(cpu[0]));
  });

  it('slices int32 and keeps strings on the stock kernel', async () => {
    await tf.setBackend('wasm');
    expect(Array.from(tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), [0, 1], [2, 2]).dataSync())).toEqual([2, 3, 5, 6]);
    expect(await tf.slice(tf.tensor1d(['a', 'b', 'c'], 'string'), [1], [2]).array()).toEqual(['b', 'c']);
  });
});

describe('Sum and Mean on wasm (leading and spatial axes as avgPools)', () => {
  const CASES: { shape: number[]; axis: number[]; keepDims: boolean }[] = [
    { shape: [3, 5, 6, 4], axis: [0, 1, 2], keepDims: false }, // a bias gradient
    { shape: [3, 5, 6, 4], axis: [1, 2], keepDims: true }, // instance norm
    { shape: [3, 5, 6, 4], axis: [1, 2], keepDims: false },
    { shape: [6, 7], axis: [0], keepDims: false },
    { shape: [6, 7], axis: [0], keepDims: true },
    { shape: [3, 5, 6, 4], axis: [3], keepDims: false }, // trailing: the stock kernel
    { shape: [3, 5, 6, 4], axis: [0, 2], keepDims: false }, // neither: the stock kernel
    { shape: [3, 5], axis: [0, 1], keepDims: false }, // everything: the stock kernel
  ];
  for (const op of ['sum', 'mean'] as const) {
    it.each(CASES.map((c) => [`${op} ${c.shape} over ${c.axis}${c.keepDims ? ' keepDims' : ''}`, c] as const))('%s matches cpu', async (_n, c) => {
      const run = () => [tf[op](tensor(c.shape, 2), c.axis, c.keepDims)];
      const wasm = await onBackend('wasm', run);
      const cpu = await onBackend('cpu', run);
      expect(relativeError(wasm[0], cpu[0])).toBeLessThan(1e-6);
      await tf.setBackend('wasm');
      expect(tf.tidy(() => tf[op](tensor(c.shape, 2), c.axis, c.keepDims).shape)).toEqual(
        await onBackend('cpu', run).then(() => tf.tidy(() => tf[op](tensor(c.shape, 2), c.axis, c.keepDims).shape)),
      );
    });
  }

  it('leaves int32 sums exact', async () => {
    await tf.setBackend('wasm');
    expect(Array.from(tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0).dataSync())).toEqual([4, 6]);
  });
});

describe('Identity on wasm (shares data instead of copying)', () => {
  it('keeps a clone valid after the original is disposed, and frees the data with the last owner', async () => {
    await tf.setBackend('wasm');
    const buffers = () => tf.backend().numDataIds(); // the backend's own count of data buffers
    const before = buffers();
    const x = tensor([4, 5], 3);
    const expected = Array.from(x.dataSync());
    const y = tf.clone(x);
    expect(buffers() - before).toBe(1); // two tensors, one buffer
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(expected);
    y.dispose();
    expect(buffers()).toBe(before);
  });

  it('leaves gradients unchanged (tfjs clones every tensor an op saves for backprop)', async () => {
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(tf.square(tf.tanh(x)), tensor([6, 5], 5))) as tf.Scalar;
    const run = () => [tf.grad(loss)(tensor([6, 5], 4))];
    expect(relativeError((await onBackend('wasm', run))[0], (await onBackend('cpu', run))[0])).toBeLessThan(1e-5);
  });
});

describe('LeakyRelu forward and gradient (relu and clip forms)', () => {
  const shape = [3, 6, 5, 4];
  const reference = (x: tf.Tensor, alpha: number) => tf.where(tf.greater(x, 0), x, tf.mul(x, alpha)); // the definition
  it.each([0.2, 0.01, 0])('alpha %s: forward matches the definition on cpu', async (alpha) => {
    const wasm = await onBackend('wasm', () => [tf.leakyRelu(tensor(shape, 6), alpha)]);
    const cpu = await onBackend('cpu', () => [reference(tensor(shape, 6), alpha)]);
    expect(relativeError(wasm[0], cpu[0])).toBeLessThan(1e-6);
  });

  it.each([0.2, 0.01])('alpha %s: gradient matches the definition and a finite difference', async (alpha) => {
    const r = () => tensor(shape, 7);
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(x, alpha), r())) as tf.Scalar;
    const [grad] = await onBackend('wasm', () => [tf.grad(loss)(tensor(shape, 6))]);
    const [expected] = await onBackend('cpu', () => {
      const x = tensor(shape, 6);
      return [tf.mul(r(), tf.where(tf.greater(x, 0), tf.onesLike(x), tf.fill(x.shape, alpha)))];
    });
    expect(relativeError(grad, expected)).toBeLessThan(1e-6);
    await tf.setBackend('wasm');
    tf.tidy(() => {
      expect(directionalCheck(loss, tensor(shape, 6), grad, 8, 1e-3)).toBeLessThan(1e-3);
    });
  });

  it('gives 0 at x = 0 (tfjs: the alpha side) and treats tiny positive inputs as positive', async () => {
    const x = () => tf.tensor1d([0, 1e-30, -1e-30, 2, -2]);
    const [grad] = await onBackend('wasm', () => [tf.grad((t: tf.Tensor) => tf.sum(tf.leakyRelu(t, 0.2)))(x())]);
    expect(Array.from(grad).map((v) => Number(v.toFixed(6)))).toEqual([0.2, 1, 0.2, 1, 0.2]);
  });
});
