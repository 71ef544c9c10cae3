import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as jieba from 'jieba-wasm';
import { buildVocabulary, type TokenizerSettings } from '../../model/text/tokenizer';
import type { TinyConfig } from '../../model/tiny/config';
import { tinyArchitecture } from '../../model/tiny/architecture';
import { initialWeights } from '../export/random-weights';
import { exportModel } from '../export/export-model';
import type { WeightPrecision } from '../../model/ops/serialize';
import { SPINE_PHRASES, USER_DICTIONARY } from './phrases';
import { SPINE_LICENSES, spineTemplates } from './templates';
import { createSegmenter } from '../../model/text/segmenter';

export const SPINE_TOKENIZER: TokenizerSettings = { maxTokens: 12, maxChars: 50, lowercase: true };

/**
 * Exports the spine's tiny model (random, seeded weights) as real graph models, so the whole path
 * training code → graph-model → worker → pixels can be tested before the real model exists.
 */
export async function exportSpine(outDir: string, name: string, seed = 7, precision: WeightPrecision = 'float32'): Promise<void> {
  await tf.setBackend('cpu');
  const segment = createSegmenter(jieba, USER_DICTIONARY);
  const vocab = buildVocabulary(SPINE_PHRASES, segment, SPINE_TOKENIZER);
  const cfg: TinyConfig = { vocabSize: vocab.size, maxTokens: SPINE_TOKENIZER.maxTokens, embedDim: 32, zDim: 16, channels: 32 };
  const weights = await initialWeights(tinyArchitecture, cfg, seed);
  await exportModel({
    outDir,
    name,
    modelVersion: `spine-${seed}`,
    arch: tinyArchitecture,
    config: cfg,
    runConfig: { kind: 'spine', seed },
    zDim: cfg.zDim,
    final: { weights, precision },
    checkpoints: [{ epoch: 0, step: 0, weights, precision: 'uint8' }],
    templates: await spineTemplates(),
    tokenizer: { settings: SPINE_TOKENIZER, vocab: [...vocab.words], userDictionary: USER_DICTIONARY },
    licenses: SPINE_LICENSES,
  });
}
