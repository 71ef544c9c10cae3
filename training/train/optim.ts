import * as tf from '@tensorflow/tfjs-core';
import type { Init, Params } from '../../model/ops/types';
import type { WeightMap } from './checkpoint';

/**
 * Adam (Kingma & Ba) over an explicit list of named variables, with its moments exposed so a
 * checkpoint can save and restore them exactly.
 */
export class Adam {
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();
  /**
   * The step at which each variable's moments were created (1 for every variable of a run that
   * trained from scratch). A variable that joins later (a class head switched on in a warm start)
   * gets its bias correction from its own first step: with the run's t, its zero second moment
   * would make its first updates about 16× too large (betas 0.5 and 0.999: m̂ ≈ g within a few
   * steps while v̂ ≈ k·(1 − β2)·g² after k steps).
   */
  readonly first = new Map<string, number>();
  t = 0;
  constructor(
    readonly lr: number,
    readonly beta1: number,
    readonly beta2: number,
    readonly eps = 1e-8,
    /** Each variable's rate as a multiple of `lr` (gan.lrGUpper: the upper stages' own rate). */
    readonly rateOf: (name: string) => number = () => 1,
  ) {}

  /** One update: p ← p − lr·scale·m̂/(√v̂ + ε) (`scale`: a schedule's factor). `grads` is consumed (disposed). */
  apply(vars: Map<string, tf.Variable>, grads: Record<string, tf.Tensor>, scale = 1): void {
    this.t++;
    tf.tidy(() => {
      for (const [name, g] of Object.entries(grads)) {
        const p = vars.get(name);
        if (!p) throw new Error(`Adam: gradient for unknown variable ${name}`);
        let m = this.m.get(name);
        let v = this.v.get(name);
        if (!m || !v) {
          m = tf.variable(tf.zerosLike(p), false);
          v = tf.variable(tf.zerosLike(p), false);
          this.m.set(name, m);
          this.v.set(name, v);
          this.first.set(name, this.t);
        }
        const steps = this.t - (this.first.get(name) ?? 1) + 1; // this variable's own step count
        const c1 = 1 - this.beta1 ** steps;
        const c2 = 1 - this.beta2 ** steps;
        const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(m1);
        v.assign(v1);
        p.assign(tf.sub(p, tf.div(tf.mul(m1, (this.lr * scale * this.rateOf(name)) / c1), tf.add(tf.sqrt(tf.div(v1, c2)), this.eps))));
      }
    });
    for (const g of Object.values(grads)) g.dispose();
  }

  /** Moments as `m:<name>` and `v:<name>`; a variable that joined after step 1 adds `f:<name>` ([1], its first step). */
  async state(): Promise<WeightMap> {
    const out: WeightMap = new Map();
    for (const [k, t] of this.m) out.set(`m:${k}`, { shape: t.shape.slice(), values: (await t.data()) as Float32Array });
    for (const [k, t] of this.v) out.set(`v:${k}`, { shape: t.shape.slice(), values: (await t.data()) as Float32Array });
    for (const [k, f] of this.first) if (f > 1) out.set(`f:${k}`, { shape: [1], values: Float32Array.of(f) });
    return out;
  }

  /** Restores `state()`'s output; moments saved without a first step (every run before it existed) started at step 1. */
  load(state: WeightMap, t: number): void {
    this.t = t;
    for (const [key, w] of state) {
      const [kind, ...rest] = key.split(':');
      const name = rest.join(':');
      if (kind === 'f') {
        this.first.set(name, w.values[0]);
        continue;
      }
      const map = kind === 'm' ? this.m : this.v;
      map.get(name)?.dispose();
      map.set(name, tf.variable(tf.tensor(w.values, w.shape), false));
      if (!this.first.has(name)) this.first.set(name, 1);
    }
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
    this.m.clear();
    this.v.clear();
    this.first.clear();
  }
}

/**
 * The factor on G's and D's learning rates at `epochs` (fractional: epoch + step / steps per
 * epoch): 1 before `lrDecayStart`, linear to 0 at `lrDecayEnd`, 0 after (both 0 = always 1).
 */
export function ganLrScale(schedule: { lrDecayStart?: number; lrDecayEnd?: number }, epochs: number): number {
  const start = schedule.lrDecayStart ?? 0; // a run saved before the keys existed: constant rates
  const end = schedule.lrDecayEnd ?? 0;
  if (end <= 0 || epochs <= start) return 1;
  return Math.max(0, (end - epochs) / (end - start));
}

/** Exponential moving average of the generator's weights (samples and export use it). */
export class Ema {
  readonly shadow = new Map<string, tf.Variable>();
  constructor(readonly decay: number) {}

  /** Starts (or restarts) the average of `names` at their current values. */
  init(vars: Map<string, tf.Variable>, names: string[]): void {
    for (const n of names) {
      this.shadow.get(n)?.dispose();
      this.shadow.set(n, tf.variable(vars.get(n)!.clone(), false));
    }
  }

  update(vars: Map<string, tf.Variable>): void {
    tf.tidy(() => {
      for (const [n, s] of this.shadow) s.assign(tf.add(tf.mul(s, this.decay), tf.mul(vars.get(n)!, 1 - this.decay)));
    });
  }

  async snapshot(): Promise<WeightMap> {
    const out: WeightMap = new Map();
    for (const [k, t] of this.shadow) out.set(k, { shape: t.shape.slice(), values: (await t.data()) as Float32Array });
    return out;
  }

  load(w: WeightMap): void {
    for (const [k, x] of w) {
      this.shadow.get(k)?.dispose();
      this.shadow.set(k, tf.variable(tf.tensor(x.values, x.shape), false));
    }
  }

  dispose(): void {
    for (const v of this.shadow.values()) v.dispose();
    this.shadow.clear();
  }
}

/** Read-only parameters from tensors (EMA weights overlaid on live ones), for sampling. */
export class OverlayParams implements Params<tf.Tensor> {
  constructor(
    private readonly first: Map<string, tf.Tensor>,
    private readonly fallback: Map<string, tf.Tensor>,
  ) {}
  get(name: string, shape: number[], _init: Init): tf.Tensor {
    const t = this.first.get(name) ?? this.fallback.get(name);
    if (!t) throw new Error(`Parameter ${name} does not exist yet (run a training forward pass first).`);
    if (t.shape.join(',') !== shape.join(',')) throw new Error(`Parameter ${name} has shape [${t.shape}], the model asks for [${shape}].`);
    return t;
  }
}
