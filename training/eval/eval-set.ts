import type { TemplateRef } from '../../model/manifest';
import { mulberry32 } from '../../model/rng';
import type { LoadedCorpus } from '../data/corpus';
import { hashOrder } from '../data/rng';
import type { EvalConfig } from './config';
import { normaliseCaption } from './text-features';

export type CorpusRecordRef = LoadedCorpus['records'][number];

/** How a template of the model's manifest was found in the corpus. */
export interface TemplateMatch {
  manifestId: string;
  corpusId: string | null;
  how: 'id' | 'style' | 'none';
}

/** By template id first; else the corpus face template of the same style (the style family's id). */
export function matchTemplates(templates: readonly TemplateRef[], corpus: LoadedCorpus): TemplateMatch[] {
  return templates.map((t) => {
    if (corpus.templates.some((c) => c.id === t.id)) return { manifestId: t.id, corpusId: t.id, how: 'id' };
    const sameStyle = corpus.templates.filter((c) => c.style === t.style).sort((a, b) => Number(b.kind === 'face') - Number(a.kind === 'face') || a.id.localeCompare(b.id));
    return sameStyle.length ? { manifestId: t.id, corpusId: sameStyle[0].id, how: 'style' } : { manifestId: t.id, corpusId: null, how: 'none' };
  });
}

/** One generation request: a held-out test record's caption, with the record's template. */
export interface EvalPair {
  record: CorpusRecordRef;
  caption: string;
  /** Template id in the model's manifest. */
  templateId: string;
}

export class NothingToEvaluateError extends Error {
  override name = 'NothingToEvaluateError';
}

/**
 * Test (record, caption) pairs whose template the model has (training pairs with `cfg.split: 'train'`). Captions are taken round-robin over
 * records in a seeded order (first caption of every record, then the second, …), so a capped
 * set still covers as many held-out (style, expression) pairs as possible.
 */
export function evalPairs(corpus: LoadedCorpus, matches: readonly TemplateMatch[], cfg: EvalConfig): EvalPair[] {
  const byCorpus = new Map(matches.filter((m) => m.corpusId).map((m) => [m.corpusId!, m.manifestId]));
  const records = hashOrder(corpus.records.filter((r) => r.split === cfg.split && byCorpus.has(r.template) && r.zh.length), (r) => r.id, cfg.seed);
  if (!records.length) {
    throw new NothingToEvaluateError(`No test image in the corpus uses one of the model's templates (${matches.map((m) => m.manifestId).join(', ')}). Rebuild the corpus (npm run data) or export a model with corpus templates.`);
  }
  const captions = records.map((r) => hashOrder(r.zh.map((c) => c.text), (t) => t, cfg.seed).slice(0, cfg.captionsPerRecord));
  const pairs: EvalPair[] = [];
  for (let round = 0; round < cfg.captionsPerRecord; round++) {
    records.forEach((record, i) => {
      const caption = captions[i][round];
      if (caption !== undefined && pairs.length < cfg.maxEvalPairs) pairs.push({ record, caption, templateId: byCorpus.get(record.template)! });
    });
  }
  return pairs;
}

/**
 * AttnGAN's candidates: the true caption first, then `count − 1` mismatched captions drawn from the
 * eval split (the test split unless `cfg.split` says train). A caption of any image with the same expression is not "mismatched" (the same words
 * describe it), so those are excluded.
 */
export function candidateCaptions(pairs: readonly EvalPair[], corpus: LoadedCorpus, cfg: EvalConfig): string[][] {
  const split = corpus.records.filter((r) => r.split === cfg.split);
  const pool = [...new Set(split.flatMap((r) => r.zh.map((c) => c.text)))].sort();
  const byExpression = new Map<string, Set<string>>();
  for (const r of corpus.records) {
    const set = byExpression.get(r.expression) ?? new Set<string>();
    for (const c of r.zh) set.add(normaliseCaption(c.text));
    byExpression.set(r.expression, set);
  }
  return pairs.map((p, i) => {
    const banned = byExpression.get(p.record.expression)!;
    const allowed = pool.filter((c) => !banned.has(normaliseCaption(c)) && normaliseCaption(c) !== normaliseCaption(p.caption));
    const rng = mulberry32(cfg.seed * 100_003 + i);
    const picked = new Set<string>();
    // Without replacement; the pool has ~1k captions, so this ends fast.
    while (picked.size < Math.min(cfg.rPrecision.candidates - 1, allowed.length)) picked.add(allowed[Math.floor(rng() * allowed.length)]);
    return [p.caption, ...picked];
  });
}
