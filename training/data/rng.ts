import { mulberry32 } from '../../model/rng';

// Deterministic randomness: every random choice in the data build flows from the config seed,
// so two runs on any machine give byte-identical manifests.

/**
 * FNV-1a 32-bit hash of a string followed by murmur3's finaliser; stable across platforms.
 * The finaliser matters: plain FNV-1a orders keys with a shared prefix ("twemoji|…") in clumps,
 * which made hash-ordered splits pick whole styles.
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** mulberry32 (the model's seeded generator): good enough for k-means seeding and shuffles. */
export const seededRandom = mulberry32;

/** Sorts by a seeded hash of each key: a deterministic shuffle that does not depend on input order. */
export function hashOrder<T>(items: readonly T[], keyOf: (item: T) => string, seed: number): T[] {
  return [...items]
    .map((item) => ({ item, rank: hashString(`${seed}:${keyOf(item)}`) }))
    .sort((a, b) => a.rank - b.rank || keyOf(a.item).localeCompare(keyOf(b.item)))
    .map((entry) => entry.item);
}
