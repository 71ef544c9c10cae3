import * as tf from '@tensorflow/tfjs-core';

/** Deterministic values in [-1, 1). */
export function randomValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs fn on the named backend and copies every output tensor out as plain arrays. */
export async function onBackend(name: string, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(name);
  const outs = tf.tidy(fn);
  const arrays = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return arrays;
}

/**
 * max |a − b| / max |b|: one number that is small only if every element agrees. `floor` is the
 * smallest scale, for tensors that should be ~0 (e.g. a bias feeding a norm) and are only noise.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/**
 * Finite-difference check of a gradient: compares ⟨∇f(x), v⟩ with the central difference
 * (f(x + εv) − f(x − εv)) / 2ε along a fixed random direction v. Returns the relative error.
 */
export function directionalCheck(
  f: (x: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  gradient: ArrayLike<number>,
  seed: number,
  eps = 1e-2,
): number {
  const v = randomValues(x.size, seed);
  const fd = tf.tidy(() => {
    const dir = tf.tensor(v, x.shape);
    const plus = f(tf.add(x, tf.mul(dir, eps))).dataSync()[0];
    const minus = f(tf.sub(x, tf.mul(dir, eps))).dataSync()[0];
    return (plus - minus) / (2 * eps);
  });
  let analytic = 0;
  for (let i = 0; i < v.length; i++) analytic += gradient[i] * v[i];
  return Math.abs(fd - analytic) / Math.max(Math.abs(analytic), 1e-6);
}
