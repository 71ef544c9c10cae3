import * as jieba from 'jieba-wasm';
import { resolveArchitecture } from '../../model/registry';
import type { WeightPrecision } from '../../model/ops/serialize';
import { createSegmenter } from '../../model/text/segmenter';
import { buildVocabulary } from '../../model/text/tokenizer';
import { SPINE_PHRASES, USER_DICTIONARY } from '../spine/phrases';
import { SPINE_LICENSES, spineTemplates } from '../spine/templates';
import { SPINE_TOKENIZER } from '../spine/phrases';
import { exportModel } from './export-model';
import { initialWeights } from './random-weights';
import type { WeightMap } from './record';

/**
 * Exports any architecture with its deterministic initial weights and the spine's vocabulary and
 * templates: a real export of the real graphs, for tests and for building the app before training.
 * `cfg` must leave vocabSize and maxTokens to this function.
 */
export async function exportRandomModel<C extends { vocabSize: number; maxTokens: number; zDim: number }>(
  architecture: string,
  partial: Omit<C, 'vocabSize' | 'maxTokens'>,
  outDir: string,
  precision: WeightPrecision,
  seed = 3,
  name = `random-${architecture}`,
  /** Changes the initial weights before export, e.g. so a test's edit is big enough to matter. */
  adjust?: (weights: WeightMap) => void,
) {
  const vocab = buildVocabulary(SPINE_PHRASES, createSegmenter(jieba, USER_DICTIONARY), SPINE_TOKENIZER);
  const cfg = { ...partial, vocabSize: vocab.size, maxTokens: SPINE_TOKENIZER.maxTokens } as C;
  const arch = resolveArchitecture(architecture, cfg);
  const weights = await initialWeights(arch, cfg, seed);
  adjust?.(weights);
  return exportModel({
    outDir,
    name,
    modelVersion: `${name}-${seed}`,
    arch,
    config: cfg,
    runConfig: { kind: 'random', seed },
    zDim: cfg.zDim,
    final: { weights, precision },
    checkpoints: [{ epoch: 0, step: 0, weights, precision: 'uint8' }],
    templates: await spineTemplates(),
    tokenizer: { settings: SPINE_TOKENIZER, vocab: [...vocab.words], userDictionary: USER_DICTIONARY },
    licenses: SPINE_LICENSES,
  });
}
