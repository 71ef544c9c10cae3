import type { DType, Ops, Params } from './ops/types';

/**
 * An architecture is the model split into the graphs the browser runs: a text encoder and one
 * graph per image stage. Each graph is a `build` function over `Ops<T>`, so the exporter records
 * it, training and tests run it eagerly, and nothing is written twice.
 */
export interface PlaceholderSpec {
  name: string;
  shape: number[]; // -1 for the batch dimension
  dtype?: DType;
}

export interface GraphSpec<C> {
  /** Graph file stem, e.g. "text_encoder" or "stage_64". */
  id: string;
  inputs(cfg: C): PlaceholderSpec[];
  /** Returns the graph's outputs by dataflow name (each already passed through `o.output`). */
  build<T>(o: Ops<T>, p: Params<T>, cfg: C, x: Record<string, T>): Record<string, T>;
}

export interface Architecture<C> {
  name: string;
  textEncoder: GraphSpec<C>;
  stages: (GraphSpec<C> & { size: number })[];
  /** The architecture as a given config builds it (e.g. fewer stages); identity when absent. */
  specialize?(cfg: C): Architecture<C>;
}

/** Runs every graph of `arch` in order over a shared pool of named tensors (eager or graph). */
export function runArchitecture<T, C>(
  arch: Architecture<C>,
  o: Ops<T>,
  p: Params<T>,
  cfg: C,
  pool: Map<string, T>,
): Map<string, T> {
  for (const spec of [arch.textEncoder, ...arch.stages]) {
    const x: Record<string, T> = {};
    for (const input of spec.inputs(cfg)) {
      const t = pool.get(input.name);
      if (t === undefined) throw new Error(`Graph ${spec.id} needs "${input.name}", which no earlier graph produced.`);
      x[input.name] = t;
    }
    for (const [name, t] of Object.entries(spec.build(o, p, cfg, x))) pool.set(name, t);
  }
  return pool;
}
