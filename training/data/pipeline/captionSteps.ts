// Cleaning steps on captions, counted as (image, caption) pairs: generic words, length (with
// composition), n-gram perplexity, then images left without any caption.
import type { DataConfig } from '../config.js';
import { applyLengthFilter, filterGenericCaptions, perplexityFilter } from '../captions/filters.js';
import type { CaptionCandidate } from '../captions/types.js';
import type { PipelineItem, StepCount } from './types.js';

export interface ScoredItem extends PipelineItem {
  scored: (CaptionCandidate & { perplexity: number })[];
}

export interface CaptionStepsOutcome {
  items: ScoredItem[];
  steps: StepCount[];
  composedCaptions: number;
  perplexityCeiling: number;
  distinctFinal: number;
}

const pairs = (items: readonly { zh: readonly unknown[] }[]): number => items.reduce((sum, i) => sum + i.zh.length, 0);

function step(name: string, before: readonly { zh: readonly unknown[] }[], after: readonly { zh: readonly unknown[] }[], note: string, imagesAfter = after.length): StepCount {
  return { step: name, imagesBefore: before.length, imagesAfter, pairsBefore: pairs(before), pairsAfter: pairs(after), note };
}

export function runCaptionSteps(items: readonly PipelineItem[], config: DataConfig): CaptionStepsOutcome {
  const { captions, perplexity } = config;
  const generic = items.map((item) => ({ ...item, zh: filterGenericCaptions(item.zh, captions.genericWords, captions.requireHan) }));
  const range = { minLength: captions.minLength, maxLength: captions.maxLength, compose: captions.composeShortCaptions };
  const lengthFiltered = generic.map((item) => ({ ...item, zh: applyLengthFilter(item.zh, item.zhName, range) }));
  const composedCaptions = new Set(lengthFiltered.flatMap((i) => i.zh.filter((c) => c.composed).map((c) => c.text))).size;
  const lm = perplexityFilter(lengthFiltered.flatMap((i) => i.zh.map((c) => c.text)), perplexity.order, perplexity.addK, perplexity);
  const scoredAll: ScoredItem[] = lengthFiltered.map((item) => ({
    ...item,
    scored: item.zh.filter((c) => lm.kept.has(c.text)).map((c) => ({ ...c, perplexity: Math.round((lm.perplexity.get(c.text) ?? 0) * 100) / 100 })),
  })).map((item) => ({ ...item, zh: item.scored }));
  const withCaptions = scoredAll.filter((item) => item.scored.length > 0);
  const ceiling = Number.isFinite(lm.ceiling) ? Math.round(lm.ceiling * 100) / 100 : -1;
  return {
    items: withCaptions,
    composedCaptions,
    perplexityCeiling: ceiling,
    distinctFinal: new Set(withCaptions.flatMap((i) => i.scored.map((c) => c.text))).size,
    steps: [
      step('2a. generic-word filter', items, generic, `dropped captions equal to one of ${captions.genericWords.length} generic words (脸, 笑脸, …)${captions.requireHan ? ' or without Chinese characters' : ''}`, generic.length),
      step('2b. length filter', generic, lengthFiltered, `kept ${captions.minLength}–${captions.maxLength} characters; ${captions.composeShortCaptions ? `${composedCaptions} distinct composed captions (short keyword + name)` : 'no composition'}`, lengthFiltered.length),
      step('3. n-gram perplexity filter', lengthFiltered, scoredAll, `order-${perplexity.order} character LM (leave-one-out), kept perplexity in [${perplexity.min}, ${ceiling < 0 ? '∞' : ceiling}] (quantile ${perplexity.maxQuantile}${perplexity.max === null ? '' : `, max ${perplexity.max}`})`, scoredAll.length),
      step('4. images without captions', scoredAll, withCaptions, 'dropped images whose captions were all filtered out'),
    ],
  };
}
