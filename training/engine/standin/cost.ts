import { discriminatorWidths, generatorWidths, type StandInConfig } from './config';
import { generatorMatMuls } from './generator';

export interface MatMulCost {
  name: string;
  /** Multiply-accumulates of one forward pass. */
  macs: number;
}

/**
 * FLOPs of one training iteration (one D step + one G step), counted analytically from conv and
 * matMul shapes. A forward layer costs 2·MACs, and so does each of its input gradient (dX) and
 * weight gradient (dW). Per iteration, with batch B:
 *   D step: G forward (B) + D forward, dW and dX on real+fake (2B), no dX into the first D layer;
 *   G step: G forward (B) + D forward and dX through all of D (B) + G dW and dX (no dX into g/in).
 * So a G layer counts 4× its forward (g/in 3×), a D layer 8× (the first D layer 6×).
 * Elementwise ops, norms, gathers and the optimizer are not counted: they are the overhead.
 */
export function flopsPerIteration(c: StandInConfig, batch: number): number {
  const g = generatorConvs(c, batch);
  const d = discriminatorConvs(c, batch);
  let macs = 0;
  g.forEach((l, i) => (macs += l.macs * (i === 0 ? 3 : 4)));
  generatorMatMuls(c, batch).forEach((l) => (macs += l.macs * 4));
  d.forEach((l, i) => (macs += l.macs * (i === 0 ? 6 : 8)));
  return 2 * macs;
}

/** Forward-pass FLOPs of G and of D at this batch size (2·MACs). */
export function forwardFlops(c: StandInConfig, batch: number): { g: number; d: number } {
  const sum = (ls: MatMulCost[]) => 2 * ls.reduce((a, l) => a + l.macs, 0);
  return { g: sum(generatorConvs(c, batch)) + sum(generatorMatMuls(c, batch)), d: sum(discriminatorConvs(c, batch)) };
}

function convMacs(batch: number, outRes: number, k: number, cin: number, cout: number): number {
  return batch * outRes * outRes * k * k * cin * cout;
}

/** Every generator conv, g/in first. */
export function generatorConvs(c: StandInConfig, batch: number): MatMulCost[] {
  const w = generatorWidths(c);
  const r = c.resolution;
  const bottomRes = r / 2 ** (w.length - 1);
  const bottom = w[w.length - 1];
  const out: MatMulCost[] = [{ name: 'g/in', macs: convMacs(batch, r, 3, 3, w[0]) }];
  for (let i = 1; i < w.length; i++) out.push({ name: `g/down${i}`, macs: convMacs(batch, r / 2 ** i, 4, w[i - 1], w[i]) });
  for (let k = 0; k < 2 * c.gResBlocks; k++) out.push({ name: `g/res${k}`, macs: convMacs(batch, bottomRes, 3, bottom, bottom) });
  for (let i = w.length - 1; i >= 1; i--) {
    out.push({ name: `g/up${i}`, macs: convMacs(batch, r / 2 ** (i - 1), 3, w[i], w[i - 1]) });
  }
  out.push({ name: 'g/out', macs: convMacs(batch, r, 3, w[0], 3) });
  return out;
}

/** Every discriminator conv, the first (on the image) first. */
export function discriminatorConvs(c: StandInConfig, batch: number): MatMulCost[] {
  const widths = discriminatorWidths(c);
  const out = widths.map((w, i) => ({
    name: `d/down${i}`,
    macs: convMacs(batch, c.resolution / 2 ** (i + 1), 4, i === 0 ? 3 : widths[i - 1], w),
  }));
  out.push({ name: 'd/logit', macs: convMacs(batch, 1, 4, widths[widths.length - 1], 1) });
  return out;
}
