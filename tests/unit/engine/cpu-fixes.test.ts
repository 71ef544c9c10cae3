import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernelFixes } from '../../../training/engine/kernels/cpu-fixes';

// The adjoint identity <resize(x), dy> = <x, resizeGrad(dy)> pins the gradient kernel to the
// forward kernel without trusting any other backend. Batch 3: the stock kernel was right for
// the first batch element only.
const CASES: { name: string; from: [number, number]; to: [number, number]; alignCorners: boolean; halfPixelCenters: boolean }[] = [
  { name: '×2 upscale', from: [4, 5], to: [8, 10], alignCorners: false, halfPixelCenters: false },
  { name: '×2 with half-pixel centres', from: [4, 4], to: [8, 8], alignCorners: false, halfPixelCenters: true },
  { name: 'odd, non-integer upscale, align corners', from: [3, 5], to: [7, 9], alignCorners: true, halfPixelCenters: false },
  { name: 'downscale', from: [9, 7], to: [4, 3], alignCorners: false, halfPixelCenters: false },
];

beforeAll(async () => {
  registerCpuKernelFixes();
  await tf.setBackend('cpu');
});

describe('cpu ResizeNearestNeighborGrad (fixed)', () => {
  for (const c of CASES) {
    it(`is the adjoint of the forward resize: ${c.name}, batch 3`, async () => {
      const x = tf.randomNormal([3, ...c.from, 2], 0, 1, 'float32', 1);
      const dy = tf.randomNormal([3, ...c.to, 2], 0, 1, 'float32', 2);
      const forward = tf.image.resizeNearestNeighbor(x as tf.Tensor4D, c.to, c.alignCorners, c.halfPixelCenters);
      const dx = tf.engine().runKernel(tf.ResizeNearestNeighborGrad, { images: x, dy }, { alignCorners: c.alignCorners, halfPixelCenters: c.halfPixelCenters } as unknown as tf.NamedAttrMap) as tf.Tensor;
      const lhs = (await tf.sum(tf.mul(forward, dy)).data())[0];
      const rhs = (await tf.sum(tf.mul(x, dx)).data())[0];
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
      tf.dispose([x, dy, forward, dx]);
    });
  }
});
