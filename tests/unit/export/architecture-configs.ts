import type { TinyConfig } from '../../../model/tiny/config';

/** A small config per registered architecture, for tests that record every graph. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ARCHITECTURE_TEST_CONFIGS: Record<string, any> = {
  tiny: { vocabSize: 20, maxTokens: 6, embedDim: 8, zDim: 4, channels: 8 } satisfies TinyConfig,
};
