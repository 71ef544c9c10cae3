import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TemplateRef } from '../../../model/manifest';
import type { LoadedCorpus } from '../../../training/data/corpus';
import { evalConfig, spacedIndices } from '../../../training/eval/config';
import { candidateCaptions, evalPairs, matchTemplates, NothingToEvaluateError } from '../../../training/eval/eval-set';
import { updateEvaluationDoc } from '../../../training/eval/report';
import { resultsFileName, type EvalResults } from '../../../training/eval/run-eval';

/** A corpus of 3 styles × 40 expressions; the first 8 expressions of each style are test images. */
function toyCorpus(): LoadedCorpus {
  const styles = ['noto', 'twemoji', 'openmoji'];
  const records = styles.flatMap((style, s) =>
    Array.from({ length: 40 }, (_, e) => ({
      id: `${style}-${e}`, style, template: style, codepoint: String(e), emoji: '', expression: `x${e}`,
      zh: [`表情${e}甲`, `表情${e}乙`, `表情${e}丙`].map((text) => ({ text, source: 'cldr' as const, composed: false, perplexity: 1 })),
      en: [], split: (e + s) % 5 === 0 ? ('test' as const) : ('train' as const), cluster: 0, misfit: false, images: {}, imagePaths: {},
      source: { package: '', version: '', name: '' },
    })),
  );
  const templates = styles.map((style) => ({ id: style, style, kind: 'face' as const, baseRecordId: `${style}-0`, baseReason: 'medoid' as const, images: {}, imagePaths: {}, recordCount: 40 }));
  return { dir: '.', manifest: { formatVersion: 1, kind: 'emoji', seed: 1, sizes: [64], templates, records, heldOutCaptions: [] }, records, templates } as unknown as LoadedCorpus;
}

const ref = (id: string, style = id) => ({ id, style, name: { zh: id, en: id }, patterns: {}, thumbnail: '' }) as TemplateRef;

describe('eval set', () => {
  const corpus = toyCorpus();
  const cfg = { ...evalConfig({ seed: 4 }), captionsPerRecord: 2 };

  it('matches manifest templates by id, then by style, else none', () => {
    expect(matchTemplates([ref('noto'), ref('tw-2', 'twemoji'), ref('apple')], corpus).map((m) => [m.corpusId, m.how])).toEqual([['noto', 'id'], ['twemoji', 'style'], [null, 'none']]);
  });

  it('takes only held-out images of the model’s templates, one caption per image before the second', () => {
    const pairs = evalPairs(corpus, matchTemplates([ref('noto'), ref('twemoji')], corpus), cfg);
    expect(pairs.every((p) => p.record.split === 'test' && ['noto', 'twemoji'].includes(p.templateId))).toBe(true);
    const images = new Set(pairs.map((p) => p.record.id)).size;
    expect(pairs).toHaveLength(images * 2);
    expect(new Set(pairs.slice(0, images).map((p) => p.record.id)).size).toBe(images);
    expect(evalPairs(corpus, matchTemplates([ref('noto')], corpus), cfg)).toEqual(evalPairs(corpus, matchTemplates([ref('noto')], corpus), cfg));
  });

  it('with split train, takes the training images instead (the fitting diagnostic), and candidates from that split', () => {
    const train = { ...cfg, split: 'train' as const };
    const pairs = evalPairs(corpus, matchTemplates([ref('noto'), ref('twemoji')], corpus), train);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.every((p) => p.record.split === 'train')).toBe(true);
    const trainCaptions = new Set(corpus.records.filter((r) => r.split === 'train').flatMap((r) => r.zh.map((z) => z.text)));
    const small = { ...train, rPrecision: { candidates: 3, splits: 2 } };
    for (const c of candidateCaptions(pairs, corpus, small)) expect(c.every((t) => trainCaptions.has(t))).toBe(true);
    expect(resultsFileName(true, 'train')).toBe('results-train-quick.json');
    expect(resultsFileName(false, 'test')).toBe('results.json');
    expect(resultsFileName(false, 'test', 0)).toBe('results-stage0.json');
    expect(() => evalConfig({ split: 'val' })).toThrow(/--split takes test/);
  });

  it('fails with a named error when no test image uses the model’s templates', () => {
    expect(() => evalPairs(corpus, matchTemplates([ref('apple')], corpus), cfg)).toThrow(NothingToEvaluateError);
  });

  it('candidates: the true caption first, then mismatched ones never of the same expression', () => {
    const pairs = evalPairs(corpus, matchTemplates([ref('noto')], corpus), cfg);
    const small = { ...cfg, rPrecision: { candidates: 10, splits: 2 } };
    candidateCaptions(pairs, corpus, small).forEach((c, i) => {
      expect(c[0]).toBe(pairs[i].caption);
      expect(new Set(c).size).toBe(10);
      const own = new Set(pairs[i].record.zh.map((z) => z.text));
      expect(c.slice(1).some((t) => own.has(t))).toBe(false);
    });
  });
});

describe('checkpoint spacing', () => {
  it('keeps all when few, else evenly spaced with first and last', () => {
    expect(spacedIndices(3, 6)).toEqual([0, 1, 2]);
    expect(spacedIndices(11, 6)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(spacedIndices(5, 1)).toEqual([4]);
  });
});

describe('EVALUATION.md updater', () => {
  it('replaces only the model’s own section and keeps hand-written text', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'eval-doc-')), 'EVALUATION.md');
    writeFileSync(path, '# Evaluation\nrubric by hand\n<!-- eval:begin m -->STALE-SECTION<!-- eval:end m -->\ntail\n<!-- eval:models-end -->\n');
    const split = { mean: 0.5, std: 0.1, splits: [0.4, 0.6], n: 2 };
    const system = { id: 'm', label: 'm (final)', pairs: 2, rPrecision: split, templateFidelity: 1, templateFidelityByTemplate: { noto: { pairs: 2, rate: 1 } }, expressionTop1: 0, expressionTop5: 1, pairAccuracy: 1, pixelDistance: 0.2, featureDistance: 0.3, diversity: 0.1, fidProxy: 1.5, seconds: 1 };
    const results = {
      model: { name: 'm', modelVersion: '1', architecture: 'tiny', stages: [64], templates: ['noto'], checkpoints: 0 }, seed: 1, quick: false, split: 'test', backend: 'cpu',
      corpus: { manifestHash: 'h', records: 1, testRecords: 1 }, evaluator: { version: 7, cacheKey: 'k', trainedThisRun: [], config: evalConfig({}).evaluator, classifier: evalConfig({}).classifier, templateJudgeMembers: 5, evaluatorMembers: 5 },
      templates: [], evalSet: { pairs: 2, heldOutImages: 1, candidatesPerQuery: 100, rPrecisionSplits: 10, diversityTexts: 1, diversitySeeds: 2 },
      systems: [system], notAvailable: [], checkpoints: [], sanity: { templateAccuracyTest: 1, expressionTop1Test: 1, expressionTop5Test: 1, templateAccuracyTrain: 1, expressionTop1Train: 1, testImages: 1 },
      grids: { testCaptions: 'docs/evaluation/m-test-captions.png', checkpoints: 'docs/evaluation/m-checkpoints.png', phrases: 'docs/evaluation/m-phrases.png', templates: [], testCaptionsRows: [] },
      phraseCollisions: [], seconds: 1,
    } as EvalResults;
    updateEvaluationDoc(results, path);
    updateEvaluationDoc(results, path);
    const doc = readFileSync(path, 'utf8');
    expect(doc).toContain('rubric by hand');
    expect(doc).not.toContain('STALE-SECTION');
    expect(doc.match(/eval:begin m -->/g)).toHaveLength(1);
    expect(doc).toContain('| m (final) | 50.0% ± 10.0% |');
    expect(doc).toContain('- m (final): noto 100.0% (2)');
    expect(doc).toContain('](evaluation/m-phrases.png)');
  });
});
