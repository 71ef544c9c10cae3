import type { MemeFaceConfig } from '../../../model/memeface/config';
import type { TinyConfig } from '../../../model/tiny/config';

/** A small config per registered architecture, for tests that record every graph. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ARCHITECTURE_TEST_CONFIGS: Record<string, any> = {
  tiny: { vocabSize: 20, maxTokens: 6, embedDim: 8, zDim: 4, channels: 8 } satisfies TinyConfig,
  memeface: {
    vocabSize: 20, maxTokens: 6, wordDim: 8, textDim: 8, caDim: 4, zDim: 8,
    imageSizes: [16, 32, 64], channels: [16, 8, 8], editChannels: [8, 8, 8], editDown: 2,
    resBlocks: 1, fusion: 'film', stage0Film: true, stage0Template: true, templateSkip: true, blend: 'mask', ndf: 8, damsmChannels: 8, damsmImageSize: 16,
  } satisfies MemeFaceConfig,
};
