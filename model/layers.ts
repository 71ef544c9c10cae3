import type { Init, Ops, Padding, Params } from './ops/types';
import { heNormal } from './ops/init';

/**
 * Small building blocks written once against `Ops<T>`. Every block takes its parameters by
 * name from `p`, so the same call trains (eager) and exports (graph).
 */

/** y = x W + b. x: [B, In] → [B, Out]. */
export function dense<T>(o: Ops<T>, p: Params<T>, name: string, x: T, outDim: number): T {
  const inDim = o.shape(x)[1];
  const w = p.get(`${name}/w`, [inDim, outDim], heNormal(inDim, 1));
  const b = p.get(`${name}/b`, [outDim], { kind: 'zeros' });
  return o.biasAdd(o.matMul(x, w), b);
}

/** Conv with bias (weights He-normal unless `weightInit` says otherwise). x: [B, H, W, Ci] → [B, H', W', Co]. */
export function conv<T>(o: Ops<T>, p: Params<T>, name: string, x: T, outCh: number, k: number, stride = 1, pad: Padding = 'same', weightInit?: Init): T {
  const inCh = o.shape(x)[3];
  const w = p.get(`${name}/w`, [k, k, inCh, outCh], weightInit ?? heNormal(k * k * inCh, 1));
  const b = p.get(`${name}/b`, [outCh], { kind: 'zeros' });
  return o.biasAdd(o.conv2d(x, w, stride, pad), b);
}

/** Nearest ×2 upsampling. [B, H, W, C] → [B, 2H, 2W, C]. */
export function upsample2x<T>(o: Ops<T>, x: T): T {
  const [, h, w] = o.shape(x);
  return o.resizeNearest(x, [h * 2, w * 2]);
}

/** Resize a template pattern to `size`×`size`, by average pooling when it divides evenly. */
export function downsampleTo<T>(o: Ops<T>, x: T, size: number): T {
  const h = o.shape(x)[1];
  if (h === size) return x;
  if (h % size === 0) return o.avgPool(x, h / size, h / size);
  return o.resizeBilinear(x, [size, size]);
}

/** Masked mean over the token axis. x: [B, L, D], mask: [B, L] → [B, D]. */
export function maskedMean<T>(o: Ops<T>, x: T, mask: T): T {
  const [, l] = o.shape(mask);
  const m = o.reshape(mask, [-1, l, 1]); // [B, L, 1]
  const total = o.sum(o.mul(x, m), [1], false); // [B, D]
  const count = o.maximum(o.sum(m, [1], false), o.scalar(1)); // [B, 1]
  return o.div(total, count);
}
