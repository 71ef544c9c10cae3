/**
 * Inference cost of the exported generator: multiply-accumulates per image, counted from the
 * recorded graphs (Conv2D, MatMul, BatchMatMul), and the parameter count.
 */
import type { Architecture } from '../../model/architecture';
import { GraphBuilder, createGraphOps, type GraphTensor } from '../../model/ops/graph';
import type { Init, Params } from '../../model/ops/types';

class CountingParams implements Params<GraphTensor> {
  readonly shapes = new Map<string, number[]>();
  constructor(private readonly g: GraphBuilder) {}
  get(name: string, shape: number[], _init: Init): GraphTensor {
    this.shapes.set(name, shape);
    return { node: name, shape, dtype: 'float32' };
  }
}

export interface Budget {
  macsPerImage: number;
  macsByGraph: Record<string, number>;
  params: number;
  paramsByPrefix: Record<string, number>;
}

/** Counts MACs for batch 1 by recording every graph with static shapes. */
export function generatorBudget<C>(arch: Architecture<C>, cfg: C): Budget {
  const macsByGraph: Record<string, number> = {};
  const shapes = new Map<string, number[]>();
  for (const spec of [arch.textEncoder, ...arch.stages]) {
    const g = new GraphBuilder();
    const o = createGraphOps(g);
    const p = new CountingParams(g);
    const x: Record<string, GraphTensor> = {};
    for (const ph of spec.inputs(cfg)) x[ph.name] = g.placeholder(ph.name, ph.shape.map((d) => (d < 0 ? 1 : d)), ph.dtype ?? 'float32');
    const shapeOf = new Map<string, number[]>();
    // Wrap ops to capture output shapes of MAC-heavy nodes.
    let macs = 0;
    const conv2d = o.conv2d;
    o.conv2d = (a, w, s, pad) => {
      const y = conv2d(a, w, s, pad);
      macs += y.shape.slice(1).reduce((m, d) => m * d, 1) * w.shape[0] * w.shape[1] * w.shape[2];
      return y;
    };
    const matMul = o.matMul;
    o.matMul = (a, b, ta = false, tb = false) => {
      const y = matMul(a, b, ta, tb);
      const k = ta ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
      macs += y.shape.reduce((m, d) => m * Math.max(d, 1), 1) * k;
      return y;
    };
    spec.build(o, p, cfg, x);
    macsByGraph[spec.id] = macs;
    for (const [k, v] of p.shapes) shapes.set(k, v);
    void shapeOf;
  }
  const paramsByPrefix: Record<string, number> = {};
  let params = 0;
  for (const [name, s] of shapes) {
    const n = s.reduce((a, b) => a * b, 1);
    params += n;
    const key = name.split('/').slice(0, 2).join('/');
    paramsByPrefix[key] = (paramsByPrefix[key] ?? 0) + n;
  }
  return { macsPerImage: Object.values(macsByGraph).reduce((a, b) => a + b, 0), macsByGraph, params, paramsByPrefix };
}
