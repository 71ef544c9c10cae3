import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { FeedArrays } from './feeds';
import { now } from './clock';

/** The loaded graph models of one checkpoint, run by the same code in the worker and in Node. */
export interface LoadedPipeline {
  textEncoder: GraphModel;
  stages: { size: number; model: GraphModel }[];
}

export interface StageResult {
  size: number;
  image: Float32Array; // [B, S, S, 3] in [-1, 1]
  ms: number;
}

export interface PipelineResult {
  textEncoderMs: number;
  stages: StageResult[];
  /** Attention maps by name (attn_<size>): [B, S*S, L]. */
  attention: Record<string, { data: Float32Array; shape: number[] }>;
}

/** Feeds as tensors under the dataflow names of model/manifest.ts. */
export function feedTensors(f: FeedArrays): Map<string, tf.Tensor> {
  const pool = new Map<string, tf.Tensor>();
  pool.set('token_ids', tf.tensor2d(f.tokenIds, [f.batch, f.maxTokens], 'int32'));
  pool.set('token_mask', tf.tensor2d(f.tokenMask, [f.batch, f.maxTokens]));
  pool.set('noise', tf.tensor2d(f.noise, [f.batch, f.zDim]));
  for (const [size, t] of Object.entries(f.templates)) {
    const s = Number(size);
    pool.set(`template_${s}`, tf.tensor4d(t, [f.batch, s, s, 3]));
  }
  return pool;
}

/**
 * Runs text encoder then stages. Every graph gets the pool tensors its inputs name; its outputs
 * join the pool. Reads back with `await data()` (WebGPU cannot read synchronously).
 * All tensors are disposed before returning, so repeated calls do not grow memory.
 */
export async function runPipeline(
  p: LoadedPipeline,
  feeds: FeedArrays,
  onStage?: (r: StageResult) => void | Promise<void>,
  shouldStop?: () => boolean,
): Promise<PipelineResult> {
  const pool = feedTensors(feeds);
  const result: PipelineResult = { textEncoderMs: 0, stages: [], attention: {} };
  try {
    let t0 = now();
    await runGraph(p.textEncoder, pool);
    result.textEncoderMs = now() - t0;
    for (const stage of p.stages) {
      if (shouldStop?.()) break;
      t0 = now();
      const produced = await runGraph(stage.model, pool);
      const image = pool.get(`image_${stage.size}`);
      if (!image) throw new Error(`Stage ${stage.size} produced no image_${stage.size} output.`);
      const data = (await image.data()) as Float32Array;
      const r: StageResult = { size: stage.size, image: data, ms: now() - t0 };
      result.stages.push(r);
      for (const name of produced) {
        if (!name.startsWith('attn_')) continue;
        const t = pool.get(name)!;
        result.attention[name] = { data: (await t.data()) as Float32Array, shape: t.shape.slice() };
      }
      await onStage?.(r);
    }
    return result;
  } finally {
    for (const t of pool.values()) t.dispose();
  }
}

async function runGraph(model: GraphModel, pool: Map<string, tf.Tensor>): Promise<string[]> {
  const inputs: Record<string, tf.Tensor> = {};
  for (const input of model.inputs) {
    const t = pool.get(input.name);
    if (!t) throw new Error(`The graph needs input "${input.name}", which nothing provides. The model files do not match this app.`);
    inputs[input.name] = t;
  }
  const names = model.outputs.map((o) => o.name);
  // Our graphs have no control flow, so the synchronous executor suffices on every backend.
  const outs = model.execute(inputs, names) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(outs) ? outs : [outs];
  names.forEach((n, i) => {
    pool.get(n)?.dispose();
    pool.set(n, list[i]);
  });
  return names;
}
