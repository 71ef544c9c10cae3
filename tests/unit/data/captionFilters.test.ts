import { describe, expect, it } from 'vitest';
import { applyLengthFilter, filterGenericCaptions, perplexityFilter, quantile } from '../../../training/data/captions/filters';
import { CharNgramModel } from '../../../training/data/captions/ngram';
import { parseRimePhrases } from '../../../training/data/captions/sources';
import { captionLength, type CaptionCandidate } from '../../../training/data/captions/types';
import { DEFAULT_GENERIC_WORDS } from '../../../training/data/config';

const c = (text: string): CaptionCandidate => ({ text, source: 'cldr-keyword', composed: false });

describe('generic-word filter', () => {
  it('drops 脸, 笑脸 and captions without Chinese, keeps the rest', () => {
    const kept = filterGenericCaptions([c('脸'), c('笑脸'), c('lol'), c('害羞'), c('别骗我')], DEFAULT_GENERIC_WORDS);
    expect(kept.map((k) => k.text)).toEqual(['害羞', '别骗我']);
  });

  it('keeps Latin captions when requireHan is off', () => {
    expect(filterGenericCaptions([c('lol')], DEFAULT_GENERIC_WORDS, false)).toHaveLength(1);
  });
});

describe('length filter', () => {
  const range = { minLength: 3, maxLength: 12, compose: true };

  it('keeps 3–12 characters and drops longer ones', () => {
    const kept = applyLengthFilter([c('别骗我'), c('这是一个非常非常非常长的说明文字')], '脸红', { ...range, compose: false });
    expect(kept.map((k) => k.text)).toEqual(['别骗我']);
  });

  it('composes short keywords with the name and marks them composed', () => {
    const kept = applyLengthFilter([c('脸红'), c('害羞'), c('茫然')], '脸红', range);
    expect(kept.map((k) => k.text)).toEqual(['害羞脸红', '茫然脸红']);
    expect(kept.every((k) => k.composed && k.source === 'composed')).toBe(true);
    expect(kept[0].parts).toEqual(['害羞', '脸红']);
  });

  it('does not join parts that share a character (大笑 + 笑哭了 would stutter)', () => {
    expect(applyLengthFilter([c('大笑'), c('眼泪')], '笑哭了', range).map((k) => k.text)).toEqual(['眼泪笑哭了']);
  });

  it('composes the name with a keyword only when nothing else would use it', () => {
    const kept = applyLengthFilter([c('微笑'), c('呵呵')], '微笑', range);
    expect(kept.map((k) => k.text)).toEqual(['呵呵微笑']);
  });

  it('is configurable', () => {
    expect(applyLengthFilter([c('害羞')], '脸红', { minLength: 2, maxLength: 2, compose: true }).map((k) => k.text)).toEqual(['害羞']);
    expect(captionLength('别 骗我')).toBe(3);
  });
});

describe('perplexity filter', () => {
  const corpus = ['别骗我', '别骗人', '别骗我了', '别吓我', '别吓人', '别闹了', '别哭了', '哭笑不得', '笑哭了', '大笑', '龘靐齉爩'];

  it('scores an odd string above common phrases (leave-one-out)', () => {
    const model = new CharNgramModel(3, 0.1);
    model.train(corpus);
    const common = model.perplexity('别骗人', { leaveOneOut: true });
    const odd = model.perplexity('龘靐齉爩', { leaveOneOut: true });
    expect(odd).toBeGreaterThan(common * 2);
  });

  it('keeps only the configured range', () => {
    const all = perplexityFilter(corpus, 3, 0.1, { min: 0, max: null, maxQuantile: 1 });
    expect(all.kept.size).toBe(corpus.length);
    const trimmed = perplexityFilter(corpus, 3, 0.1, { min: 0, max: null, maxQuantile: 0.9 });
    expect(trimmed.kept.has('龘靐齉爩')).toBe(false);
    expect(trimmed.kept.has('别骗人')).toBe(true);
    const ceiling = perplexityFilter(corpus, 3, 0.1, { min: 0, max: all.perplexity.get('别骗人') as number, maxQuantile: 1 });
    expect(ceiling.kept.has('别骗人')).toBe(true);
    expect(ceiling.kept.size).toBeLessThan(corpus.length);
    const floor = perplexityFilter(corpus, 3, 0.1, { min: 1e9, max: null, maxQuantile: 1 });
    expect(floor.kept.size).toBe(0);
  });

  it('quantile is nearest-rank', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
  });
});

describe('rime phrases', () => {
  it('maps phrases to emoji and converts them to Simplified Chinese', () => {
    const phrases = parseRimePhrases('沒臉見人\t沒臉見人 🙈️ 😳️\n別騙我\t別騙我 😳️\n');
    expect(phrases.get('😳')).toEqual(['没脸见人', '别骗我']);
    expect(phrases.get('🙈')).toEqual(['没脸见人']);
  });
});
