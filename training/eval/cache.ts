import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Weights } from './train-networks';

/** Trained evaluators/classifiers live here, keyed by corpus hash + seed + config (gitignored). */
export const CACHE_ROOT = join('training', '.cache', 'eval');

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

interface StoredWeights {
  name: string;
  key: string;
  meta: unknown;
  weights: { name: string; shape: number[]; base64: string }[];
}

export function cachePath(key: string, name: string): string {
  return join(CACHE_ROOT, key, `${name}.json`);
}

export function saveWeights(key: string, name: string, weights: Weights, meta: unknown): void {
  const path = cachePath(key, name);
  mkdirSync(dirname(path), { recursive: true });
  const stored: StoredWeights = {
    name,
    key,
    meta,
    weights: [...weights].map(([n, w]) => ({ name: n, shape: w.shape, base64: Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength).toString('base64') })),
  };
  // Write then rename, so an interrupted run never leaves a half-written cache entry.
  writeFileSync(`${path}.tmp`, JSON.stringify(stored));
  renameSync(`${path}.tmp`, path);
}

export function loadWeights(key: string, name: string): { weights: Weights; meta: unknown } | null {
  const path = cachePath(key, name);
  if (!existsSync(path)) return null;
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as StoredWeights;
    const weights: Weights = new Map();
    for (const w of stored.weights) {
      const bytes = Buffer.from(w.base64, 'base64');
      weights.set(w.name, { shape: w.shape, values: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) });
    }
    return { weights, meta: stored.meta };
  } catch {
    return null; // a corrupt entry is retrained, not fatal
  }
}
