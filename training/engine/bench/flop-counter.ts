import * as tf from '@tensorflow/tfjs-core';

/** FLOPs (2 per multiply-accumulate) of one call of a dense-compute kernel, from its shapes. */
type FlopRule = (inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>, out: tf.TensorInfo) => number;

const size = (shape: number[]) => shape.reduce((a, d) => a * d, 1);

/** A conv with output [B, Ho, Wo, co] and filter [kh, kw, ci, co] (or depthwise [kh, kw, ci, m]). */
const convFlops = (outShape: number[], filterShape: number[], depthwise = false) =>
  2 * size(outShape) * filterShape[0] * filterShape[1] * (depthwise ? 1 : filterShape[2]);

const matMulFlops: FlopRule = ({ a, b }, attrs) => {
  const ta = attrs.transposeA === true;
  const tb = attrs.transposeB === true;
  const [m, k] = ta ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const n = tb ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const batch = Math.max(size(a.shape.slice(0, -2)), size(b.shape.slice(0, -2)));
  return 2 * batch * m * k * n;
};

/**
 * The kernels whose FLOPs an "effective GFLOP/s" counts, as for the stand-in's analytic
 * count (standin/cost.ts): convolutions and matMuls, forward and both gradients.
 */
const RULES: Record<string, FlopRule> = {
  [tf.Conv2D]: ({ filter }, _a, out) => convFlops(out.shape, filter.shape),
  [tf.FusedConv2D]: ({ filter }, _a, out) => convFlops(out.shape, filter.shape),
  [tf.Conv2DBackpropInput]: ({ dy, filter }) => convFlops(dy.shape, filter.shape),
  [tf.Conv2DBackpropFilter]: ({ dy }, attrs) => convFlops(dy.shape, attrs.filterShape as number[]),
  [tf.DepthwiseConv2dNative]: ({ filter }, _a, out) => convFlops(out.shape, filter.shape, true),
  [tf.DepthwiseConv2dNativeBackpropInput]: ({ dy, filter }) => convFlops(dy.shape, filter.shape, true),
  [tf.DepthwiseConv2dNativeBackpropFilter]: ({ dy }, attrs) => convFlops(dy.shape, attrs.filterShape as number[], true),
  [tf.BatchMatMul]: matMulFlops,
  [tf._FusedMatMul]: matMulFlops,
};

/**
 * Counts the conv and matMul FLOPs the active backend runs while `fn` runs. Only outermost
 * calls count: the engine's composite kernels (a conv's input gradient as phase convs, a batch
 * of matMuls as single products) call these kernels again, and those inner calls are the same work.
 */
export async function countFlops(fn: () => Promise<void>): Promise<{ total: number; byKernel: Record<string, number> }> {
  const backendName = tf.getBackend();
  const byKernel: Record<string, number> = {};
  let depth = 0;
  const originals = Object.keys(RULES)
    .map((name) => tf.getKernel(name, backendName))
    .filter((k): k is tf.KernelConfig => k !== undefined);
  for (const k of originals) {
    tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        depth++;
        try {
          const out = k.kernelFunc(args) as tf.TensorInfo;
          if (depth === 1) byKernel[k.kernelName] = (byKernel[k.kernelName] ?? 0) + RULES[k.kernelName](args.inputs as Record<string, tf.TensorInfo>, args.attrs as Record<string, unknown>, out);
          return out;
        } finally {
          depth--;
        }
      },
    });
  }
  try {
    await fn();
  } finally {
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, backendName);
      tf.registerKernel(k);
    }
  }
  return { total: Object.values(byKernel).reduce((a, b) => a + b, 0), byKernel };
}
