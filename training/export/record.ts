import { GraphBuilder, GraphParams, createGraphOps, type GraphTensor } from '../../model/ops/graph';
import type { Ops, Params } from '../../model/ops/types';
import type { PlaceholderSpec } from '../../model/architecture';


export type { PlaceholderSpec };
export type WeightMap = Map<string, { shape: number[]; values: Float32Array }>;

/**
 * Records one graph by running shared model code with the graph interpreter.
 * `build` receives the placeholders by name and must name its outputs with `ops.output`.
 */
export function recordGraph(
  placeholders: PlaceholderSpec[],
  weights: WeightMap,
  build: (o: Ops<GraphTensor>, p: Params<GraphTensor>, inputs: Record<string, GraphTensor>) => void,
): GraphBuilder {
  const g = new GraphBuilder();
  const inputs: Record<string, GraphTensor> = {};
  for (const ph of placeholders) inputs[ph.name] = g.placeholder(ph.name, ph.shape, ph.dtype ?? 'float32');
  build(createGraphOps(g), new GraphParams(g, weights), inputs);
  if (!g.outputs.length) throw new Error('The recorded graph has no outputs: name them with ops.output(x, name).');
  return g;
}
