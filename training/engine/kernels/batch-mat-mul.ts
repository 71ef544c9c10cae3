import * as tf from '@tensorflow/tfjs-core';
import { runOnWrapped, wrapStockKernel } from './op-kernel';

/**
 * wasm's BatchMatMul runs XNNPACK only for a single unflagged product; everything else goes to
 * a scalar loop:
 * - with a transpose flag it is ~10× slower (a [576, 14336]ᵀ×[14336, 64] product took 600 ms
 *   flagged, 55 ms plain + 85 ms to transpose). Every matMul's backward pass uses the flags, so
 *   the flagged operand is transposed explicitly;
 * - with a batch of products (attention: [B, HW, T]×[B, T, C]) the loop ran at ~1 GFLOP/s, so
 *   the batch runs as one product per item (`batchedAsSingles`), or as one tall product when
 *   the right operand is shared.
 */
export function registerFastBatchMatMul(backendName: string): void {
  // The wrapper keeps the stock kernel's setupFunc, which binds the wasm function on init.
  wrapStockKernel(tf.BatchMatMul, backendName, (original) => ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const kernelBackend = backend as tf.KernelBackend;
    const aPlain = transposeA ? transposeLastTwo(a, kernelBackend, backendName) : a;
    const bPlain = transposeB ? transposeLastTwo(b, kernelBackend, backendName) : b;
    try {
      if (isBatched(aPlain, bPlain)) return runOnWrapped([aPlain, bPlain], backend, batchedAsSingles);
      return original.kernelFunc({ inputs: { a: aPlain, b: bPlain }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      if (aPlain !== a) kernelBackend.disposeData(aPlain.dataId);
      if (bPlain !== b) kernelBackend.disposeData(bPlain.dataId);
    }
  });
}

/** [..., r, c] → [..., c, r] through the backend's own Transpose kernel (no engine tracking). */
function transposeLastTwo(x: tf.TensorInfo, backend: tf.KernelBackend, backendName: string): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  const transpose = tf.getKernel(tf.Transpose, backendName);
  if (transpose === undefined) throw new Error('BatchMatMul: the backend has no Transpose kernel; use the cpu backend.');
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

const batchOf = (x: tf.TensorInfo) => x.shape.slice(0, -2).reduce((p, d) => p * d, 1);

/** More than one product, each big enough that a kernel call per item beats the scalar loop. */
function isBatched(a: tf.TensorInfo, b: tf.TensorInfo): boolean {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  return Math.max(batchOf(a), batchOf(b)) > 1 && m * k * n >= 4096;
}

/** a [..., M, K] × b [..., K, N] (unflagged; batch dims equal, or b's all 1) as single products. */
function batchedAsSingles(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.rank - 1];
  const batch = Math.max(a.size / (m * k), b.size / (k * n));
  const outShape = [...(a.rank >= b.rank ? a.shape : b.shape).slice(0, -2), m, n];
  if (b.size === k * n) {
    // One shared right operand: the batch is one tall product [batch·M, K]×[K, N].
    return tf.reshape(tf.matMul(tf.reshape(a, [batch * m, k]), tf.reshape(b, [k, n])), outShape);
  }
  if (a.size !== batch * m * k) throw new Error('BatchMatMul: broadcasting the left operand is not supported; tile it first.');
  const a3 = tf.reshape(a, [batch, m, k]);
  const b3 = tf.reshape(b, [batch, k, n]);
  const items: tf.Tensor[] = [];
  for (let i = 0; i < batch; i++) {
    const ai = tf.reshape(tf.slice(a3, [i, 0, 0], [1, m, k]), [m, k]);
    const bi = tf.reshape(tf.slice(b3, [i, 0, 0], [1, k, n]), [k, n]);
    items.push(tf.reshape(tf.matMul(ai, bi), [1, m, n]));
  }
  return tf.reshape(tf.concat(items, 0), outShape); // [..., M, N]
}
