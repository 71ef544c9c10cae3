/**
 * The real MemeFace GAN step as a bench:train subject (`--model memeface`): the shipped default's
 * config's stages up to the benchmark's resolution (64 → [64], 128 → [64, 128] with the 128 px
 * stage on 64 px patches, as the config trains it), on the builtin emoji set.
 * One iteration is one `ganStep`: G's and D's gradients from the same state, both Adam updates
 * and the EMA, as the trainer runs it. `wasm`: the whole batch as one shard in this thread (the
 * config's setting); `wasm2`: the batch as two shards (gan.shards: 2) on two worker threads
 * (`npm run train -- --workers 2`); `webgpu`: the whole batch on the GPU through Dawn
 * (`npm run train -- --backend webgpu`).
 */
import { readFileSync } from 'node:fs';
import type { BenchJob, BenchSubject } from '../engine/bench/measure';
import { countFlops } from '../engine/bench/flop-counter';
import { buildVocabulary } from '../../model/text/tokenizer';
import { loadConfigFile, type RunConfig } from './config';
import { builtinEmojiData } from './data';
import { disposeBatch, epochOrder, MemeFaceTrainer, segmenter } from './trainer';

/** Where the shipped default's manifest lives; it keeps the resolved run config it was trained with. */
export const SHIPPED_MANIFEST = 'public/models/default/manifest.json';

/**
 * The name of the run config the shipped default was trained with (its manifest's `config.run.name`).
 * Read from the manifest, not written here, so the benchmark follows the default when it changes
 * (a constant here went stale for two defaults).
 */
export function shippedConfigName(manifestPath = SHIPPED_MANIFEST): string {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { config?: { run?: { name?: unknown } } };
  const name = manifest.config?.run?.name;
  if (typeof name !== 'string' || !name) throw new Error(`${manifestPath} names no run config (config.run.name): re-export the default with npm run export.`);
  return name;
}

/** The bench config: the shipped default's, cut to the stages at or below `resolution`. */
export function benchConfig(resolution: number, configName = shippedConfigName()): RunConfig {
  const cfg = loadConfigFile(configName);
  const stages = cfg.model.imageSizes.filter((s) => s <= resolution).length;
  if (stages === 0 || cfg.model.imageSizes[stages - 1] !== resolution) {
    throw new Error(`--model memeface benchmarks the ${configName} config's stage sizes (${cfg.model.imageSizes.join(', ')} px); got --sizes ${resolution}.`);
  }
  cfg.model = {
    ...cfg.model,
    imageSizes: cfg.model.imageSizes.slice(0, stages),
    channels: cfg.model.channels.slice(0, stages),
    editChannels: cfg.model.editChannels.slice(0, stages),
  };
  cfg.data = { ...cfg.data, source: 'builtin', builtinExpressions: 0 };
  return cfg;
}

export async function createBenchSubject(job: BenchJob): Promise<BenchSubject> {
  if (job.mode !== 'cpu' && job.mode !== 'wasm' && job.mode !== 'wasm2' && job.mode !== 'webgpu') {
    throw new Error(`--model memeface runs the modes cpu, wasm (one core), wasm2 (two worker threads) and webgpu (Dawn); got ${job.mode}.`);
  }
  const workers = job.mode === 'wasm2' ? 2 : 1;
  const configName = shippedConfigName();
  const cfg = benchConfig(job.resolution, configName);
  cfg.gan = { ...cfg.gan, batchSize: job.batch, shards: workers };
  const data = await builtinEmojiData(cfg.data.builtinStyles, 0, cfg.model.imageSizes);
  const segment = segmenter();
  const v = buildVocabulary(data.pairs.map((p) => p.caption), segment, cfg.text, cfg.text.minCount);
  const trainer = new MemeFaceTrainer(cfg, data, { settings: { ...cfg.text }, words: [...v.words], userDictionary: [] }, segment);
  trainer.startGan();
  const order = epochOrder(data.pairs.length, cfg.seed, 'gan', 0);
  let step = 0;
  const iteration = async () => {
    const indices = Array.from({ length: job.batch }, (_, i) => order[(step * job.batch + i) % order.length]);
    const batch = trainer.makeBatch(indices, 'gan', step++, workers);
    await trainer.ganStep(batch);
    disposeBatch(batch);
  };
  await iteration(); // creates the optimiser moments, so the counted iteration is a steady one
  const { total } = await countFlops(iteration); // in this thread: the workers' kernels are not seen here
  await trainer.startWorkers(workers);
  const trained = [...trainer.store.vars.values()].reduce((a, t) => a + t.size, 0);
  return {
    description: `MemeFace GAN (${configName} config${workers > 1 ? `, ${workers} shards on ${workers} worker threads` : ''}, stages ${cfg.model.imageSizes.join('/')} px${cfg.model.imageSizes.some((s) => cfg.gan.patchSize > 0 && s > cfg.gan.patchSize) ? `, ${cfg.gan.patchSize} px patches above` : ''}, builtin emoji)`,
    iterationLabel: "one ganStep: G's and D's gradients from one state, Adam, EMA",
    params: trained,
    flopsPerIteration: total,
    iteration,
    dispose: async () => trainer.dispose(),
  };
}
