/**
 * A stand-in for the project's generator and discriminator: same kinds of ops (strided and 3×3
 * convs, nearest upsampling, U-Net skips, instance norm, word attention, embeddings, projection
 * discriminator) and about the same parameter counts (~1.9M each), so that benchmarks and tests
 * measure what real training will cost. Every size is configurable, so the real G and D can be
 * described here until they replace it.
 */
export interface StandInConfig {
  /** Square image size; a power of two ≥ 16. */
  resolution: number;
  vocabSize: number;
  embedDim: number;
  wordsPerCaption: number;
  /**
   * Generator widths of the last levels, ending at the 8×8 bottleneck; each level halves the
   * resolution. Higher resolutions prepend halves (as for the discriminator).
   */
  gWidths: number[];
  /** 3×3 residual blocks at the generator's lowest resolution. */
  gResBlocks: number;
  /** Discriminator widths of the last levels, ending at 4×4; higher resolutions prepend halves. */
  dWidths: number[];
  norm: 'instance' | 'none';
  leak: number;
}

export const DEFAULT_STANDIN: StandInConfig = {
  resolution: 64,
  vocabSize: 4000,
  embedDim: 64,
  wordsPerCaption: 12,
  gWidths: [16, 32, 64, 256],
  gResBlocks: 1,
  dWidths: [32, 64, 160, 512],
  norm: 'instance',
  leak: 0.2,
};

export function standInConfig(overrides: Partial<StandInConfig> = {}): StandInConfig {
  return { ...DEFAULT_STANDIN, ...overrides };
}

/** Discriminator widths at this resolution: one stride-2 level per halving down to 4×4. */
export function discriminatorWidths(c: StandInConfig): number[] {
  return widthsForLevels(c.dWidths, levelsDownTo(c.resolution, 4), 16);
}

function levelsDownTo(resolution: number, bottom: number): number {
  const levels = Math.log2(resolution / bottom);
  if (!Number.isInteger(levels) || levels < 1) {
    throw new Error(`Stand-in resolution must be a power of two ≥ 16; got ${resolution}.`);
  }
  return levels;
}

function widthsForLevels(given: number[], levels: number, minWidth: number): number[] {
  const widths = given.slice(-levels);
  while (widths.length < levels) widths.unshift(Math.max(minWidth, Math.floor(widths[0] / 2)));
  return widths;
}

/** Generator widths at this resolution, full resolution first, down to an 8×8 bottleneck. */
export function generatorWidths(c: StandInConfig): number[] {
  return widthsForLevels(c.gWidths, levelsDownTo(c.resolution, 8) + 1, 8);
}
