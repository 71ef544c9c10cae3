/** The spine's tiny generator: just enough model to prove every joint end to end. */
export interface TinyConfig {
  vocabSize: number;
  maxTokens: number;
  embedDim: number;
  zDim: number;
  channels: number;
}

export const TINY_IMAGE_SIZE = 64;
