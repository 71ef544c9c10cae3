// The caption filters: generic words, the paper's length filter (with composition so 2-character
// CLDR keywords are not simply lost) and the n-gram perplexity filter.
import { captionLength, type CaptionCandidate } from './types.js';
import { CharNgramModel } from './ngram.js';

export interface FilterCount { before: number; after: number }

const HAN = /\p{Script=Han}/u;

/**
 * Drops captions that are just a generic word such as 脸 or 笑脸 (they name no expression) and,
 * when requireHan is set, captions without any Chinese character (CLDR zh lists "lol", "ok").
 */
export function filterGenericCaptions(captions: readonly CaptionCandidate[], genericWords: readonly string[], requireHan = true): CaptionCandidate[] {
  const generic = new Set(genericWords.map((w) => w.trim().toLowerCase()));
  return captions.filter((c) => !generic.has(c.text.trim().toLowerCase()) && (!requireHan || HAN.test(c.text)));
}

export interface LengthRange { minLength: number; maxLength: number; compose: boolean }

function inRange(text: string, range: LengthRange): boolean {
  const length = captionLength(text);
  return length >= range.minLength && length <= range.maxLength;
}

/**
 * Keeps captions of minLength..maxLength characters. A too-short caption is composed with the
 * expression's name ("害羞" + "脸红" → "害羞脸红") unless they share a character; a too-short name
 * is composed with a short keyword only when no keyword is composed with it. Composed captions are
 * marked; too-long ones are dropped.
 */
export function applyLengthFilter(captions: readonly CaptionCandidate[], name: string, range: LengthRange): CaptionCandidate[] {
  const kept: CaptionCandidate[] = [];
  const push = (candidate: CaptionCandidate): void => {
    if (inRange(candidate.text, range) && !kept.some((k) => k.text === candidate.text)) kept.push(candidate);
  };
  const short = captions.filter((c) => captionLength(c.text) < range.minLength);
  // Parts sharing a character read as stutters (大笑 + 笑哭了 → 大笑笑哭了), so they are not joined.
  const overlaps = (a: string, b: string): boolean => Array.from(a).some((ch) => b.includes(ch));
  for (const caption of captions) {
    if (inRange(caption.text, range)) { push(caption); continue; }
    if (!range.compose || captionLength(caption.text) > range.maxLength) continue;
    // The name itself is only composed when no keyword will be composed with it (avoids A+B and B+A).
    const isName = caption.text === name;
    if (isName && short.some((other) => other.text !== name && !overlaps(other.text, name))) continue;
    // A keyword that shares characters with the name (大哭 / 放声大哭) only repeats it: dropped.
    const partner = !isName
      ? (name && !overlaps(caption.text, name) ? name : undefined)
      : short.find((other) => other.text !== caption.text && !overlaps(other.text, caption.text))?.text;
    if (!partner) continue;
    push({ text: `${caption.text}${partner}`, source: 'composed', composed: true, parts: [caption.text, partner] });
  }
  return kept;
}

export interface PerplexityRange { min: number; max: number | null; maxQuantile: number }

export interface ScoredCaption extends CaptionCandidate { perplexity: number }

/** Value at quantile q (0..1) of the sorted values, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Infinity;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * Scores each distinct caption with a leave-one-out character n-gram model trained on all distinct
 * captions, and returns the kept strings with their perplexities and the ceiling that was used.
 */
export function perplexityFilter(
  texts: readonly string[],
  order: number,
  addK: number,
  range: PerplexityRange,
): { perplexity: Map<string, number>; kept: Set<string>; ceiling: number } {
  const distinct = [...new Set(texts)].sort();
  const model = new CharNgramModel(order, addK);
  model.train(distinct);
  const perplexity = new Map(distinct.map((t) => [t, model.perplexity(t, { leaveOneOut: true })]));
  const quantileCeiling = range.maxQuantile >= 1 ? Infinity : quantile([...perplexity.values()], range.maxQuantile);
  const ceiling = Math.min(range.max ?? Infinity, quantileCeiling);
  const kept = new Set(distinct.filter((t) => {
    const p = perplexity.get(t) as number;
    return p >= range.min && p <= ceiling;
  }));
  return { perplexity, kept, ceiling };
}
