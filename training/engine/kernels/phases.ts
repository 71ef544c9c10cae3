import * as tf from '@tensorflow/tfjs-core';

/**
 * Stride tricks without wasm's StridedSlice and DepthToSpace kernels, which are generic
 * element-by-element loops (about 10× slower than a reshape + Slice or Concat of the same size).
 */

/**
 * Phase (r, c) of an NHWC tensor: x[:, r::s, c::s, :], with H and W first zero-padded up to a
 * multiple of s. Works on any rank-4 tensor whose axes 1 and 2 are spatial.
 */
export function spatialPhases(x: tf.Tensor4D, s: number): tf.Tensor4D[][] {
  const [b, h, w, ch] = x.shape;
  const hp = Math.ceil(h / s);
  const wp = Math.ceil(w / s);
  const padded = hp * s === h && wp * s === w ? x : tf.pad(x, [[0, 0], [0, hp * s - h], [0, wp * s - w], [0, 0]]);
  // Rank 4 on purpose: wasm's Slice and Concat take a slow generic path above rank 4.
  const split = tf.reshape(padded, [b * hp, s, wp, s * ch]); // [B·Hp, s, Wp, s·C]
  const phases: tf.Tensor4D[][] = [];
  for (let r = 0; r < s; r++) {
    const row: tf.Tensor4D[] = [];
    for (let c = 0; c < s; c++) {
      const one = tf.slice(split, [0, r, 0, c * ch], [b * hp, 1, wp, ch]); // [B·Hp, 1, Wp, C]
      row.push(tf.reshape(one, [b, hp, wp, ch]));
    }
    phases.push(row);
  }
  return phases;
}

/** Inverse of spatialPhases: out[:, s·i + r, s·j + c, :] = phases[r][c][:, i, j, :]. */
export function interleavePhases(phases: tf.Tensor4D[][]): tf.Tensor4D {
  const s = phases.length;
  const [b, hp, wp, ch] = phases[0][0].shape;
  const rows = phases.map((row) => {
    const cols = row.map((p) => tf.reshape(p, [b * hp, 1, wp, ch]));
    return cols.length === 1 ? cols[0] : tf.concat(cols, 3); // [B·Hp, 1, Wp, s·C]
  });
  const all = rows.length === 1 ? rows[0] : tf.concat(rows, 1); // [B·Hp, s, Wp, s·C]
  return tf.reshape(all, [b, hp * s, wp * s, ch]);
}
