/**
 * npm run diagnose:text -- --run <run> [--epoch N] [--corpus data/build/corpus]
 * How much of each training caption's expression G_0 can receive: the sentence vector ĉ's
 * nearest-expression-centroid accuracy, and the Gaussian-channel bound on what F^ca's sample c
 * carries (training/eval/text-channel.ts), from a GAN checkpoint's EMA text encoder and F^ca.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { eagerOps as o, VariableStore } from '../../model/ops/eager';
import { conditioningAugmentation, textEncoder } from '../../model/memeface/text';
import { tokenize, Vocabulary } from '../../model/text/tokenizer';
import { listCheckpoints, loadExportWeights, readRunVocab, runModelConfig } from '../train/checkpoint';
import { segmenter } from '../train/trainer';
import { caChannelBound, nearestCentroidAccuracy } from '../eval/text-channel';
import { captionPairs, loadCorpus } from '../data/corpus';

const { values } = parseArgs({ options: { run: { type: 'string' }, epoch: { type: 'string' }, corpus: { type: 'string', default: 'data/build/corpus' } } });

/** Every distinct Chinese training caption, labelled with its expression's index. */
function trainingCaptions(corpusDir: string): { captions: string[]; labels: number[]; expressions: number } {
  const byExpression = new Map<string, Set<string>>();
  for (const { record, caption } of captionPairs(loadCorpus(corpusDir), 'train')) {
    byExpression.set(record.expression, (byExpression.get(record.expression) ?? new Set<string>()).add(caption));
  }
  const captions: string[] = [];
  const labels: number[] = [];
  [...byExpression.values()].forEach((set, i) => set.forEach((c) => (captions.push(c), labels.push(i))));
  return { captions, labels, expressions: byExpression.size };
}

async function main(): Promise<void> {
  if (!values.run) throw new Error('Pass --run <run> (a name under training/runs/ or a run folder).');
  const runDir = existsSync(values.run) ? values.run : join('training', 'runs', values.run);
  const epoch = values.epoch ? Number(values.epoch) : undefined;
  const checkpoint = listCheckpoints(runDir).filter((c) => epoch === undefined || c.epoch === epoch).at(-1);
  if (!checkpoint) throw new Error(`${runDir} has no GAN checkpoint${epoch === undefined ? '' : ` for epoch ${epoch}`}.`);
  await tf.setBackend('cpu');
  const cfg = runModelConfig(runDir);
  const vocab = readRunVocab(runDir);
  const words = new Vocabulary(vocab.words);
  const segment = segmenter();
  const store = new VariableStore(1, false);
  store.load(loadExportWeights(checkpoint.dir));
  const { captions, labels, expressions } = trainingCaptions(values.corpus!);
  const tokens = captions.map((c) => tokenize(c, segment, words, vocab.settings));
  const n = captions.length;
  const L = cfg.maxTokens;
  const ids = tf.tensor2d(tokens.flatMap((t) => [...t.ids]), [n, L], 'int32'); // [N, L]
  const mask = tf.tensor2d(tokens.flatMap((t) => [...t.mask]), [n, L]); // [N, L]
  const { sentence } = textEncoder(o, store, cfg, ids, mask); // ĉ: [N, D]
  const { mu, logvar } = conditioningAugmentation(o, store, cfg, sentence, tf.zeros([n, cfg.zDim])); // [N, caDim] each
  const bound = caChannelBound(mu.arraySync() as number[][], logvar.arraySync() as number[][], labels);
  const accuracy = nearestCentroidAccuracy(sentence.arraySync() as number[][], labels);
  console.log(`${runDir} epoch ${checkpoint.epoch}: ${n} training captions of ${expressions} expressions`);
  console.log(`sentence vector: nearest expression centroid ${(100 * accuracy).toFixed(1)}%`);
  console.log(`F^ca sample c (${cfg.caDim} dims): at most ${bound.bits.toFixed(2)} bits of the expression (naming one of ${expressions} takes ${Math.log2(expressions).toFixed(2)})`);
  console.log(`per dimension, var(E[mu | expression]) / E[sigma^2]: ${bound.dims.map((d) => (d.signal / d.noise).toFixed(2)).join(' ')}`);
}

main().catch((e: Error) => {
  console.error(`${e.name}: ${e.message}`);
  process.exit(1);
});
