import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectTrainingBackend } from '../../../training/engine/backend';
import { directionalCheck, onBackend, randomValues, relativeError, sizeOf } from './helpers';

const tensor = (shape: number[], seed: number) => tf.tensor(randomValues(sizeOf(shape), seed), shape);

beforeAll(async () => {
  expect((await selectTrainingBackend({ override: 'wasm', log: () => {} })).name).toBe('wasm');
});

interface DepthwiseCase {
  size: [number, number];
  k: number;
  stride: number;
  pad: 'same' | 'valid';
  multiplier: number;
}
const DEPTHWISE: DepthwiseCase[] = [];
for (const k of [1, 3, 4]) {
  for (const stride of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) DEPTHWISE.push({ size: [7, 9], k, stride, pad, multiplier: k === 3 ? 2 : 1 });
  }
}

function depthwiseParts(c: DepthwiseCase) {
  const xShape: [number, number, number, number] = [2, c.size[0], c.size[1], 3];
  const wShape: [number, number, number, number] = [c.k, c.k, 3, c.multiplier];
  const outShape = tf.tidy(() => tf.depthwiseConv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(wShape) as tf.Tensor4D, c.stride, c.pad).shape);
  const loss = (x: tf.Tensor, w: tf.Tensor) =>
    tf.sum(tf.mul(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad), tensor(outShape, 3))) as tf.Scalar;
  return { x: () => tensor(xShape, 1), w: () => tensor(wShape, 2), loss };
}

describe('DepthwiseConv2dNativeBackpropInput and …BackpropFilter on wasm', () => {
  it.each(DEPTHWISE.map((c) => [`k${c.k} s${c.stride} ${c.pad} ×${c.multiplier}`, c] as const))('%s', async (_n, c) => {
    const p = depthwiseParts(c);
    const run = () => tf.grads(p.loss)([p.x(), p.w()]);
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expect(relativeError(wasm[0], cpu[0]), 'dX vs cpu').toBeLessThan(1e-5);
    expect(relativeError(wasm[1], cpu[1]), 'dW vs cpu').toBeLessThan(1e-5);
    tf.tidy(() => {
      const x = p.x();
      const w = p.w();
      expect(directionalCheck((xt) => p.loss(xt, w), x, wasm[0], 5, 1), 'dX finite difference').toBeLessThan(1e-4);
      expect(directionalCheck((wt) => p.loss(x, wt), w, wasm[1], 6, 1), 'dW finite difference').toBeLessThan(1e-4);
    });
  });
});

describe('UnsortedSegmentSum on wasm (the gradient of gather)', () => {
  const ids = [3, 0, 3, 5, 1, 0, 3]; // repeats and never-used rows
  const direct = () => [tf.unsortedSegmentSum(tensor([7, 4, 2], 8), tf.tensor1d(ids, 'int32'), 6)];
  const gatherLoss = (table: tf.Tensor) =>
    tf.sum(tf.mul(tf.gather(table, tf.tensor2d(ids.slice(0, 6), [2, 3], 'int32')), tensor([2, 3, 4], 9))) as tf.Scalar;

  it('matches the cpu backend', async () => {
    expect(relativeError((await onBackend('wasm', direct))[0], (await onBackend('cpu', direct))[0])).toBeLessThan(1e-6);
  });

  it('gives gather a gradient that passes a finite-difference check', async () => {
    const [grad] = await onBackend('wasm', () => [tf.grad(gatherLoss)(tensor([6, 4], 10))]);
    const [cpuGrad] = await onBackend('cpu', () => [tf.grad(gatherLoss)(tensor([6, 4], 10))]);
    expect(relativeError(grad, cpuGrad)).toBeLessThan(1e-6);
    tf.tidy(() => {
      expect(directionalCheck(gatherLoss, tensor([6, 4], 10), grad, 11, 1)).toBeLessThan(1e-4);
    });
  });
});

describe('BatchMatMul with transpose flags and batches on wasm', () => {
  // Small products stay on the stock kernel; large ones (M·K·N ≥ 4096) run one product per item.
  const SIZES = [
    { name: 'small', a: [3, 5, 7], b: [3, 7, 4] },
    { name: 'batched', a: [3, 20, 16], b: [3, 16, 24] },
    { name: 'rank 4', a: [2, 3, 20, 16], b: [2, 3, 16, 24] },
    { name: 'shared right operand', a: [3, 20, 16], b: [1, 16, 24] },
  ];
  const FLAGS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
  const swapLast = (shape: number[]) => [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]];
  const cases = SIZES.flatMap((size) => FLAGS.map((f) => [`${size.name}, transposeA=${f[0]} transposeB=${f[1]}`, size, f] as const));
  it.each(cases)('%s', async (_n, size, [ta, tb]) => {
    const a = () => tensor(ta ? swapLast(size.a) : size.a, 1);
    const b = () => tensor(tb ? swapLast(size.b) : size.b, 2);
    const outShape = tf.tidy(() => tf.matMul(a(), b(), ta, tb).shape);
    const loss = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, ta, tb), tensor(outShape, 3))) as tf.Scalar;
    // tfjs 4.22's BatchMatMul gradient does not reduce over broadcast batch dims (on any
    // backend), so the shared-operand case checks the forward product only.
    const forwardOnly = size.a.length === size.b.length && size.b[0] !== size.a[0];
    const run = () => [tf.matMul(a(), b(), ta, tb), ...(forwardOnly ? [] : tf.grads(loss)([a(), b()]))];
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    cpu.forEach((ref, i) => expect(relativeError(wasm[i], ref), `output ${i}`).toBeLessThan(1e-5));
    if (forwardOnly) return;
    tf.tidy(() => {
      expect(directionalCheck((x) => loss(x, b()), a(), wasm[1], 4, 1)).toBeLessThan(1e-4);
      expect(directionalCheck((y) => loss(a(), y), b(), wasm[2], 5, 1)).toBeLessThan(1e-4);
    });
  });
});

describe('ResizeNearestNeighborGrad on wasm (sum-pool path for integer factors)', () => {
  const CASES: { from: [number, number]; to: [number, number]; halfPixel: boolean; align: boolean }[] = [
    { from: [4, 5], to: [8, 10], halfPixel: false, align: false },
    { from: [3, 5], to: [9, 10], halfPixel: true, align: false },
    { from: [4, 4], to: [8, 8], halfPixel: false, align: true }, // falls back to the stock kernel
    { from: [4, 6], to: [7, 9], halfPixel: false, align: false }, // non-integer: stock kernel
  ];
  it.each(CASES.map((c) => [`${c.from}→${c.to} halfPixel=${c.halfPixel} align=${c.align}`, c] as const))('%s', async (_n, c) => {
    const loss = (batch: number) => (x: tf.Tensor) =>
      tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, c.to, c.align, c.halfPixel), tensor([batch, ...c.to, 3], 2))) as tf.Scalar;
    // Batch 1 against cpu: tfjs 4.22's cpu kernel is wrong for batch > 1.
    const one = () => [tf.grad(loss(1))(tensor([1, ...c.from, 3], 1))];
    expect(relativeError((await onBackend('wasm', one))[0], (await onBackend('cpu', one))[0])).toBeLessThan(1e-6);
    const [grad] = await onBackend('wasm', () => [tf.grad(loss(3))(tensor([3, ...c.from, 3], 1))]);
    tf.tidy(() => {
      expect(directionalCheck(loss(3), tensor([3, ...c.from, 3], 1), grad, 4, 1)).toBeLessThan(1e-4);
    });
  });
});

describe('AvgPoolGrad on wasm (up-sampling path for non-overlapping windows)', () => {
  const CASES: { size: [number, number]; k: number; stride: number; pad: 'valid' | 'same' }[] = [
    { size: [8, 10], k: 2, stride: 2, pad: 'valid' }, // G'_i's ×2 down-sampling
    { size: [9, 6], k: 3, stride: 3, pad: 'valid' },
    { size: [7, 9], k: 2, stride: 2, pad: 'valid' }, // odd sizes: windows do not tile, stock kernel
    { size: [7, 9], k: 3, stride: 2, pad: 'valid' }, // overlapping: stock kernel
    // (Not 'same': tfjs' avgPool divides by the window's pixels inside the image and its
    // AvgPoolGrad, on cpu and wasm alike, by the whole window, so no finite-difference check holds.)
    { size: [6, 6], k: 1, stride: 1, pad: 'valid' },
  ];
  it.each(CASES.map((c) => [`${c.size} k${c.k} s${c.stride} ${c.pad}`, c] as const))('%s', async (_n, c) => {
    const xShape: [number, number, number, number] = [2, c.size[0], c.size[1], 3];
    const outShape = tf.tidy(() => tf.avgPool(tf.zeros(xShape) as tf.Tensor4D, c.k, c.stride, c.pad).shape);
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(x as tf.Tensor4D, c.k, c.stride, c.pad), tensor(outShape, 2))) as tf.Scalar;
    const run = () => [tf.grad(loss)(tensor(xShape, 1))];
    const [wasm] = await onBackend('wasm', run);
    expect(relativeError(wasm, (await onBackend('cpu', run))[0])).toBeLessThan(1e-6);
    tf.tidy(() => {
      expect(directionalCheck(loss, tensor(xShape, 1), wasm, 4, 1)).toBeLessThan(1e-4);
    });
  });
});

describe('SplitV on wasm (in-place slices)', () => {
  const CASES: { shape: number[]; sizes: number[]; axis: number }[] = [
    { shape: [2, 5, 7, 35], sizes: [32, 3], axis: 3 }, // a concat's gradient: short runs
    { shape: [3, 4, 130], sizes: [64, 66], axis: 2 }, // long runs
    { shape: [5, 6, 3], sizes: [1, 2, 3], axis: 1 },
    { shape: [7, 4], sizes: [3, 4], axis: 0 }, // contiguous parts
    { shape: [2, 3, 4], sizes: [4], axis: 2 },
  ];
  it.each(CASES.map((c) => [`[${c.shape}] → ${c.sizes} on axis ${c.axis}`, c] as const))('%s', async (_n, c) => {
    const parts = () => tf.split(tensor(c.shape, 1), c.sizes, c.axis);
    const wasm = await onBackend('wasm', parts);
    const cpu = await onBackend('cpu', parts);
    wasm.forEach((w, i) => expect(relativeError(w, cpu[i]), `part ${i}`).toBeLessThan(1e-7));
    // The gradient of concat is SplitV: check it by finite differences through a weighted concat.
    const loss = (...xs: tf.Tensor[]) => tf.sum(tf.mul(tf.concat(xs, c.axis), tensor(c.shape, 3))) as tf.Scalar;
    const xs = () => c.sizes.map((n, i) => tensor(c.shape.map((d, a) => (a === c.axis ? n : d)), 10 + i));
    const grads = await onBackend('wasm', () => tf.grads(loss)(xs()));
    tf.tidy(() => {
      const inputs = xs();
      inputs.forEach((x, i) => {
        const at = (xi: tf.Tensor) => loss(...inputs.map((y, j) => (j === i ? xi : y)));
        expect(directionalCheck(at, x, grads[i], 5 + i, 1), `d part ${i}`).toBeLessThan(1e-4);
      });
    });
  });
});
