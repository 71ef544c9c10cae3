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

/** Stratified by style: each style gives about testFraction of its pairs to test. */
function chooseTestPairs(items: readonly SplitItem[], options: SplitOptions): Set<string> {
  const trainPerExpression = countBy(items, (i) => i.expression);
  const trainPerStyle = countBy(items, (i) => i.style);
  const quota = new Map([...trainPerStyle].map(([style, n]) => [style, Math.round(n * options.testFraction)]));
  const testIds = new Set<string>();
  for (const item of hashOrder(items, (i) => `${i.style}|${i.expression}`, options.seed)) {
    if ((quota.get(item.style) ?? 0) <= 0) continue;
    if (options.keepInTrain.has(item.id)) continue;
    if ((trainPerStyle.get(item.style) ?? 0) < 2) continue;
    if (options.requireExpressionElsewhere && (trainPerExpression.get(item.expression) ?? 0) < 2) continue;
    testIds.add(item.id);
    quota.set(item.style, (quota.get(item.style) ?? 0) - 1);
    trainPerStyle.set(item.style, (trainPerStyle.get(item.style) ?? 0) - 1);
    trainPerExpression.set(item.expression, (trainPerExpression.get(item.expression) ?? 0) - 1);
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
