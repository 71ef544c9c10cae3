import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import type { GraphModelJson } from '../../model/ops/serialize';
import type { WeightMap } from './record';

export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

function readModelJson(path: string): GraphModelJson {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as GraphModelJson;
  } catch (e) {
    throw new ModelFileError(`Cannot read the graph model ${path}: ${(e as Error).message}. Re-export the model (npm run export).`);
  }
}

function readWeightBytes(modelJsonPath: string, json: GraphModelJson): ArrayBuffer {
  const parts = json.weightsManifest.flatMap((g) => g.paths).map((p) => readFileSync(join(dirname(modelJsonPath), p)));
  const buf = Buffer.concat(parts);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

/** Loads an exported graph model from disk with tfjs' own loader (the browser's code path). */
export async function loadGraphModelFile(modelJsonPath: string): Promise<GraphModel> {
  const json = readModelJson(modelJsonPath);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  const handler: tf.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      weightSpecs,
      weightData: readWeightBytes(modelJsonPath, json),
    }),
  };
  return loadGraphModel(handler);
}

/** The float weights stored in an exported graph (dequantised), keyed by parameter name. */
export function readGraphWeights(modelJsonPath: string): WeightMap {
  const json = readModelJson(modelJsonPath);
  const specs = json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  const tensors = tf.io.decodeWeights(readWeightBytes(modelJsonPath, json), specs);
  const out: WeightMap = new Map();
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype === 'float32') out.set(name, { shape: t.shape.slice(), values: t.dataSync() as Float32Array });
    t.dispose();
  }
  return out;
}
