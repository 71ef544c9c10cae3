// The deterministic 90/10 split. Test holds out whole (style, expression) pairs: a test image's
// expression exists in other styles in train and its style exists in train, but never together.
// A set of caption strings is also held out: they never appear on a training image.
import { hashOrder } from './rng.js';

export interface SplitItem {
  id: string;
  style: string;
  expression: string;
  captions: string[];
}

export interface SplitOptions {
  testFraction: number;
  heldOutCaptionFraction: number;
  seed: number;
  /** Only hold out a pair when its expression stays in train in another style (emoji corpus). */
  requireExpressionElsewhere: boolean;
  /** Ids that must stay in train (the templates' base patterns). */
  keepInTrain: ReadonlySet<string>;
}

export interface SplitResult {
  testIds: Set<string>;
  heldOutCaptions: Set<string>;
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

const pairKey = (item: SplitItem): string => `${item.style}|${item.expression}`;

/**
 * Stratified by style: each style gives about testFraction of its images to test, a whole
 * (style, expression) pair at a time (user folders can have several images per pair).
 */
function chooseTestPairs(items: readonly SplitItem[], options: SplitOptions): Set<string> {
  const pairs = new Map<string, SplitItem[]>();
  for (const item of items) pairs.set(pairKey(item), [...(pairs.get(pairKey(item)) ?? []), item]);
  const trainPerExpression = countBy([...pairs.values()].map((members) => members[0]), (i) => i.expression);
  const trainPerStyle = countBy(items, (i) => i.style);
  const quota = new Map([...trainPerStyle].map(([style, n]) => [style, Math.round(n * options.testFraction)]));
  const testIds = new Set<string>();
  for (const key of hashOrder([...pairs.keys()], (k) => k, options.seed)) {
    const members = pairs.get(key) as SplitItem[];
    const { style, expression } = members[0];
    if ((quota.get(style) ?? 0) < members.length) continue;
    if (members.some((m) => options.keepInTrain.has(m.id))) continue;
    if ((trainPerStyle.get(style) ?? 0) - members.length < 1) continue;
    // Hold out only expressions that stay in train in another style (the emoji corpus).
    if (options.requireExpressionElsewhere && (trainPerExpression.get(expression) ?? 0) < 2) continue;
    for (const m of members) testIds.add(m.id);
    quota.set(style, (quota.get(style) ?? 0) - members.length);
    trainPerStyle.set(style, (trainPerStyle.get(style) ?? 0) - members.length);
    trainPerExpression.set(expression, (trainPerExpression.get(expression) ?? 0) - 1);
  }
  return testIds;
}

/** Picks caption strings to hold out, never leaving a training image without a caption. */
function chooseHeldOutCaptions(items: readonly SplitItem[], testIds: ReadonlySet<string>, options: SplitOptions): Set<string> {
  const train = items.filter((i) => !testIds.has(i.id));
  const distinct = [...new Set(items.flatMap((i) => i.captions))];
  const target = Math.round(distinct.length * options.heldOutCaptionFraction);
  const remaining = new Map(train.map((i) => [i.id, new Set(i.captions).size]));
  const trainByCaption = new Map<string, string[]>();
  for (const item of train) for (const c of new Set(item.captions)) trainByCaption.set(c, [...(trainByCaption.get(c) ?? []), item.id]);
  const heldOut = new Set<string>();
  for (const caption of hashOrder(distinct, (c) => c, options.seed + 1)) {
    if (heldOut.size >= target) break;
    const holders = trainByCaption.get(caption) ?? [];
    if (holders.some((id) => (remaining.get(id) ?? 0) < 2)) continue;
    heldOut.add(caption);
    for (const id of holders) remaining.set(id, (remaining.get(id) ?? 0) - 1);
  }
  return heldOut;
}

export function splitCorpus(items: readonly SplitItem[], options: SplitOptions): SplitResult {
  const testIds = chooseTestPairs(items, options);
  return { testIds, heldOutCaptions: chooseHeldOutCaptions(items, testIds, options) };
}
