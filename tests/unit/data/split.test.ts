import { describe, expect, it } from 'vitest';
import { splitCorpus, type SplitItem } from '../../../training/data/split';

const styles = ['noto', 'twemoji', 'openmoji', 'fluent', 'blob'];
const items: SplitItem[] = styles.flatMap((style) =>
  Array.from({ length: 40 }, (_, e) => ({
    id: `${style}-${e}`,
    style,
    expression: `E${e}`,
    captions: [`表情${e}甲`, `表情${e}乙`, `共同说明${e % 7}`],
  })),
);

const options = { testFraction: 0.1, heldOutCaptionFraction: 0.1, seed: 42, requireExpressionElsewhere: true, keepInTrain: new Set(['noto-0']) };

describe('split', () => {
  const { testIds, heldOutCaptions } = splitCorpus(items, options);
  const train = items.filter((i) => !testIds.has(i.id));
  const test = items.filter((i) => testIds.has(i.id));

  it('holds out 10% of (style, expression) pairs', () => {
    expect(test.length).toBe(20);
  });

  it('never lets a held-out (style, expression) pair into train', () => {
    const trainPairs = new Set(train.map((i) => `${i.style}|${i.expression}`));
    for (const item of test) expect(trainPairs.has(`${item.style}|${item.expression}`)).toBe(false);
  });

  it('keeps each test expression in train in another style, and each test style in train', () => {
    for (const item of test) {
      expect(train.some((t) => t.expression === item.expression && t.style !== item.style)).toBe(true);
      expect(train.some((t) => t.style === item.style)).toBe(true);
    }
  });

  it('keeps base patterns in train', () => {
    expect(testIds.has('noto-0')).toBe(false);
  });

  it('holds out caption strings without emptying any training image', () => {
    expect(heldOutCaptions.size).toBeGreaterThan(0);
    for (const item of train) expect(item.captions.some((c) => !heldOutCaptions.has(c))).toBe(true);
  });

  it('is deterministic and seed-dependent', () => {
    const again = splitCorpus([...items].reverse(), options);
    expect([...again.testIds].sort()).toEqual([...testIds].sort());
    expect([...again.heldOutCaptions].sort()).toEqual([...heldOutCaptions].sort());
    const other = splitCorpus(items, { ...options, seed: 43 });
    expect([...other.testIds].sort()).not.toEqual([...testIds].sort());
  });
});

describe('split balance', () => {
  it('takes about 10% from every style', () => {
    const { testIds } = splitCorpus(items, options);
    for (const style of styles) expect(items.filter((i) => i.style === style && testIds.has(i.id)).length).toBe(4);
  });
});

describe('split constraints that bind', () => {
  it('never holds out an expression that only one style draws', () => {
    const solo: SplitItem[] = Array.from({ length: 10 }, (_, e) => ({ id: `noto-solo${e}`, style: 'noto', expression: `solo${e}`, captions: [`独有${e}号`] }));
    const { testIds } = splitCorpus([...items, ...solo], { ...options, testFraction: 0.4 });
    expect(testIds.size).toBeGreaterThan(50);
    for (const s of solo) expect(testIds.has(s.id)).toBe(false);
  });

  it('moves every image of a (style, expression) pair together (user folders)', () => {
    const dup: SplitItem[] = items.flatMap((i) => [i, { ...i, id: `${i.id}-copy` }]);
    const { testIds } = splitCorpus(dup, { ...options, requireExpressionElsewhere: false });
    expect(testIds.size).toBeGreaterThan(0);
    for (const i of items) expect(testIds.has(i.id)).toBe(testIds.has(`${i.id}-copy`));
  });
});
