import type { Init } from './types';
import { hashString, mulberry32, normalArray } from '../rng';

/** Deterministic initial values: the same (seed, name) always gives the same weights. */
export function initialValues(name: string, shape: number[], init: Init, seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  switch (init.kind) {
    case 'zeros':
      return new Float32Array(n);
    case 'ones':
      return new Float32Array(n).fill(1);
    case 'normal': {
      const v = normalArray(mulberry32(seed ^ hashString(name)), n);
      for (let i = 0; i < n; i++) v[i] *= init.std;
      return v;
    }
    case 'uniform': {
      const rng = mulberry32(seed ^ hashString(name));
      const v = new Float32Array(n);
      for (let i = 0; i < n; i++) v[i] = (rng() * 2 - 1) * init.limit;
      return v;
    }
  }
}

/** He-style normal init for a conv or dense weight with `fanIn` inputs. */
export function heNormal(fanIn: number, gain = Math.SQRT2): Init {
  return { kind: 'normal', std: gain / Math.sqrt(fanIn) };
}
