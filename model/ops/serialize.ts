import type { GraphBuilder, GraphConst } from './graph';

/** How float weights are stored: float32 exactly, float16 (half the bytes), or uint8 affine (a quarter). */
export type WeightPrecision = 'float32' | 'float16' | 'uint8';

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'float16' } | { dtype: 'uint8'; scale: number; min: number };
}

export interface GraphModelJson {
  format: 'graph-model';
  generatedBy: string;
  convertedBy: string;
  modelTopology: { node: unknown[]; library: Record<string, never>; versions: { producer: number } };
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}

/** Writes a recorded graph as model.json plus one weights file (named `binName`). */
export function serializeGraphModel(
  g: GraphBuilder,
  binName: string,
  precision: WeightPrecision,
  metadata?: Record<string, unknown>,
): { json: GraphModelJson; bin: Uint8Array } {
  const chunks: Uint8Array[] = [];
  const weights: WeightEntry[] = [];
  for (const c of g.consts) {
    const { entry, bytes } = encodeConst(c, precision);
    weights.push(entry);
    chunks.push(bytes);
  }
  const json: GraphModelJson = {
    format: 'graph-model',
    generatedBy: 'memeface-model',
    convertedBy: 'memeface graph exporter (model/ops/serialize.ts)',
    modelTopology: { node: g.nodes, library: {}, versions: { producer: 1 } },
    weightsManifest: [{ paths: [binName], weights }],
    ...(metadata ? { userDefinedMetadata: metadata } : {}),
  };
  return { json, bin: concatBytes(chunks) };
}

function encodeConst(c: GraphConst, precision: WeightPrecision): { entry: WeightEntry; bytes: Uint8Array } {
  const base: WeightEntry = { name: c.name, shape: c.shape, dtype: c.dtype };
  // int32 constants (shapes, axes, permutations) are structure, never quantised; nor are the
  // numbers the model code writes (ops.scalar: thresholds, gains), a few bytes each, which float16
  // would move (logit 0.3 by 2e-4, then times editSharpness's gain).
  if (c.dtype === 'int32' || precision === 'float32' || !c.parameter) return { entry: base, bytes: toBytes(c.values) };
  const values = c.values as Float32Array;
  if (precision === 'float16') {
    return { entry: { ...base, quantization: { dtype: 'float16' } }, bytes: toBytes(float32ToFloat16(values)) };
  }
  const { data, scale, min } = quantizeUint8(values);
  return { entry: { ...base, quantization: { dtype: 'uint8', scale, min } }, bytes: data };
}

function toBytes(a: Float32Array | Int32Array | Uint16Array): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Affine uint8 quantisation as tfjs decodes it: value = q * scale + min. */
export function quantizeUint8(values: Float32Array): { data: Uint8Array; scale: number; min: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) min = max = 0;
  const scale = max > min ? (max - min) / 255 : 1;
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.round((values[i] - min) / scale);
  return { data, scale, min };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half precision with round-to-nearest-even, as tfjs' float16 decoder expects. */
export function float32ToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      let half = mant >>> shift;
      const rem = mant & ((1 << shift) - 1);
      const mid = 1 << (shift - 1);
      if (rem > mid || (rem === mid && half & 1)) half++;
      out[i] = sign | half;
      continue;
    }
    let half = (e << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
    out[i] = sign | half;
  }
  return out;
}
