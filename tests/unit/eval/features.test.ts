import { describe, expect, it } from 'vitest';
import { buildFeedArrays } from '../../../model/runtime/feeds';
import type { Tokenized } from '../../../model/text/tokenizer';
import { FEATURE_DIM, flipHorizontal, imageFeatures, toFeatureSize } from '../../../training/eval/image-features';
import { evalConfig, FixEvalConfigError, validateEvalConfig } from '../../../training/eval/config';
import { captionNgrams, NgramVocabulary, TfIdfIndex } from '../../../training/eval/text-features';
import { rowFeeds } from '../../../training/eval/systems';

function square(size: number, pixel: (x: number, y: number) => [number, number, number]): { size: number; data: Float32Array } {
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.set(pixel(x, y), (y * size + x) * 3);
  return { size, data };
}

describe('frozen image descriptor', () => {
  const face = square(64, (x, y) => ((x - 32) ** 2 + (y - 32) ** 2 < 400 ? [1, 0.6, -1] : [1, 1, 1]));

  it('has FEATURE_DIM finite values and is deterministic', () => {
    const a = imageFeatures(face);
    expect(a).toHaveLength(FEATURE_DIM);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(imageFeatures(face)).toEqual(a);
  });

  it('a 256 px image box-downsamples to the same descriptor as its 64 px version', () => {
    const big = square(256, (x, y) => face.data.slice(((y >> 2) * 64 + (x >> 2)) * 3, ((y >> 2) * 64 + (x >> 2)) * 3 + 3) as unknown as [number, number, number]);
    expect(toFeatureSize(big).data).toEqual(face.data);
    expect(imageFeatures(big)).toEqual(imageFeatures(face));
  });

  it('mirroring twice is the identity, once moves the left column to the right', () => {
    const ramp = square(4, (x) => [x / 4, 0, 0]);
    expect(flipHorizontal(flipHorizontal(ramp)).data).toEqual(ramp.data);
    expect(flipHorizontal(ramp).data[0]).toBeCloseTo(0.75);
  });

  it('tells a blank image from a face', () => {
    const blank = imageFeatures(square(64, () => [1, 1, 1]));
    const f = imageFeatures(face);
    const diff = f.reduce((s, v, i) => s + Math.abs(v - blank[i]), 0);
    expect(diff).toBeGreaterThan(1);
  });
});

describe('caption features', () => {
  it('Chinese captions give character unigrams and bigrams', () => {
    expect(captionNgrams('笑哭了')).toEqual(['笑', '哭', '了', '笑哭', '哭了']);
    expect(captionNgrams('Crying face')).toEqual(['crying', 'face']);
  });

  it('the vocabulary counts distinct captions and bags are unit length', () => {
    const v = NgramVocabulary.fromCaptions(['笑哭了', '笑哭了', '哭了'], 2);
    expect(v.grams).toEqual(['了', '哭', '哭了']);
    const bag = v.bag('哭了吧');
    expect(Math.hypot(...bag)).toBeCloseTo(1, 6);
  });

  it('TF-IDF ranks the caption sharing rarer characters first', () => {
    const idx = new TfIdfIndex(['开心', '开心果', '伤心', '心']);
    const q = idx.vector('好开心');
    expect(TfIdfIndex.cosine(q, idx.vector('开心'))).toBeGreaterThan(TfIdfIndex.cosine(q, idx.vector('伤心')));
  });
});

describe('eval config', () => {
  it('quick shrinks the sampled parts but not the evaluators', () => {
    const full = evalConfig({ seed: 3 });
    const quick = evalConfig({ seed: 3, quick: true });
    expect(quick.maxEvalPairs).toBeLessThan(full.maxEvalPairs);
    expect(quick.evaluator).toEqual(full.evaluator);
  });

  it('timeline measures every checkpoint on every eval pair, the final model\'s pairs', () => {
    const quick = evalConfig({ seed: 3, quick: true });
    const timeline = evalConfig({ seed: 3, quick: true, timeline: true });
    expect(timeline.checkpointPairs).toBe(quick.maxEvalPairs);
    expect(timeline.maxCheckpoints).toBeGreaterThanOrEqual(100);
    expect({ ...timeline, maxCheckpoints: 0, checkpointPairs: 0 }).toEqual({ ...quick, maxCheckpoints: 0, checkpointPairs: 0 });
  });

  it('rejects a bad seed with a named error', () => {
    expect(() => evalConfig({ seed: -1 })).toThrow(FixEvalConfigError);
    expect(() => validateEvalConfig({ ...evalConfig({}), diversity: { texts: 4, seeds: 1 } })).toThrow(/seeds/);
    expect(() => validateEvalConfig({ ...evalConfig({}), templateJudgeMembers: 0 })).toThrow(/templateJudgeMembers must be a positive integer/);
    expect(evalConfig({ quick: true }).templateJudgeMembers).toBe(evalConfig({}).templateJudgeMembers); // --quick keeps the same judge
    expect(() => validateEvalConfig({ ...evalConfig({}), evaluatorMembers: 0 })).toThrow(/evaluatorMembers must be a positive integer/);
    expect(evalConfig({}).scoredStage).toBeNull(); // the last stage: the metric
    expect(evalConfig({ stage: 0 }).scoredStage).toBe(0);
    expect(() => evalConfig({ stage: -1 })).toThrow(/--stage takes a stage index/);
    expect(() => evalConfig({ stage: Number('x') })).toThrow(/--stage takes a stage index/);
    expect(evalConfig({ quick: true }).evaluatorMembers).toBe(evalConfig({}).evaluatorMembers); // --quick keeps the same evaluators
  });
});

describe('batched feeds', () => {
  it('one row equals the pipeline’s own buildFeedArrays', () => {
    const tokens = { ids: Int32Array.from([3, 4, 0]), mask: Float32Array.from([1, 1, 0]) } as unknown as Tokenized;
    const patterns = { 64: new Float32Array(64 * 64 * 3).fill(0.5) };
    const ours = rowFeeds([{ tokens, patterns, seed: 9 }], 16);
    const theirs = buildFeedArrays(tokens.ids, tokens.mask, [9], 16, patterns);
    expect(ours).toEqual(theirs);
  });
});
