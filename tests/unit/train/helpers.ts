import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTrainingBackend } from '../../../training/train/backend';
import { loadConfigFile, type RunConfig } from '../../../training/train/config';
import { builtinEmojiData, type TrainingData } from '../../../training/train/data';
import { disposeBatch, epochOrder, MemeFaceTrainer, segmenter } from '../../../training/train/trainer';
import { buildVocabulary } from '../../../model/text/tokenizer';

let ready: Promise<string> | undefined;
/** The training engine's backend (wasm with its gradient kernels), quietly. */
export function backend(): Promise<string> {
  ready ??= initTrainingBackend('auto', () => {});
  return ready;
}

export function tinyConfig(overrides: (c: RunConfig) => void = () => {}): RunConfig {
  const c = loadConfigFile('tiny-test');
  overrides(c);
  return c;
}

let cached: Promise<TrainingData> | undefined;
/** 8 images (2 styles × 4 expressions), one caption each: made on the fly from iconify SVGs. */
export function eightImages(cfg: RunConfig): Promise<TrainingData> {
  cached ??= builtinEmojiData(cfg.data.builtinStyles, cfg.data.builtinExpressions, cfg.model.imageSizes).then((d) => {
    const seen = new Set<string>();
    d.pairs = d.pairs.filter((p) => !seen.has(p.imageId) && seen.add(p.imageId));
    return d;
  });
  return cached;
}

const made: string[] = [];
/** A fresh runs root under the OS temp folder; removed by `removeTmpRuns`. */
export function tmpRuns(): string {
  const dir = mkdtempSync(join(tmpdir(), 'memeface-runs-'));
  made.push(dir);
  return dir;
}

export function removeTmpRuns(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A trainer on `eightImages`, its vocabulary built from their captions (as a fresh run builds it). */
export async function eightImageTrainer(cfg: RunConfig): Promise<MemeFaceTrainer> {
  const data = await eightImages(cfg);
  const segment = segmenter();
  const v = buildVocabulary(data.pairs.map((p) => p.caption), segment, cfg.text);
  return new MemeFaceTrainer(cfg, data, { settings: { ...cfg.text }, words: [...v.words], userDictionary: [] }, segment);
}

/** GAN steps `first` … `first + n − 1` of one epoch in its fixed order; each step's logged losses. */
export async function ganSteps(trainer: MemeFaceTrainer, n: number, first = 0): Promise<Record<string, number>[]> {
  const order = epochOrder(trainer.pairCount, 1, 'gan', 0);
  const out: Record<string, number>[] = [];
  for (let k = first; k < first + n; k++) {
    const b = trainer.makeBatch(order, 'gan', k);
    out.push(await trainer.ganStep(b));
    disposeBatch(b);
  }
  return out;
}
