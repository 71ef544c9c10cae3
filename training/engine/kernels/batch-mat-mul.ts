import * as tf from '@tensorflow/tfjs-core';

/**
 * wasm's BatchMatMul is ~10× slower with a transpose flag than without (measured: a
 * [576, 14336]ᵀ×[14336, 64] product took 600 ms flagged, 55 ms plain + 85 ms to transpose).
 * Every matMul's backward pass uses the flags, so this wrapper transposes the flagged operand
 * explicitly and calls the original kernel with the flags cleared.
 */
export function registerFastBatchMatMul(backendName: string): void {
  const original = tf.getKernel(tf.BatchMatMul, backendName);
  if (original === undefined) return;
  tf.unregisterKernel(tf.BatchMatMul, backendName);
  tf.registerKernel({
    kernelName: tf.BatchMatMul,
    backendName,
    setupFunc: original.setupFunc, // binds the wasm function; the backend calls it on init
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
      if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
      const kernelBackend = backend as tf.KernelBackend;
      const aPlain = transposeA ? transposeLastTwo(a, kernelBackend, backendName) : a;
      const bPlain = transposeB ? transposeLastTwo(b, kernelBackend, backendName) : b;
      try {
        return original.kernelFunc({
          inputs: { a: aPlain, b: bPlain },
          backend,
          attrs: { ...attrs, transposeA: false, transposeB: false },
        });
      } finally {
        if (aPlain !== a) kernelBackend.disposeData(aPlain.dataId);
        if (bPlain !== b) kernelBackend.disposeData(bPlain.dataId);
      }
    },
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
