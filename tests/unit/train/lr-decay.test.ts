import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { listCheckpoints, readWeights } from '../../../training/train/checkpoint';
import { resolveConfig } from '../../../training/train/config';
import { Adam, ganLrScale } from '../../../training/train/optim';
import { train } from '../../../training/train/trainer';
import { backend, eightImages, tinyConfig, tmpRuns } from './helpers';

describe('gan.lrDecayStart / gan.lrDecayEnd (linear learning-rate decay)', () => {
  beforeAll(async () => {
    await backend();
  });

  it('are off by default and must be both 0 or 0 ≤ start < end', () => {
    const g = resolveConfig({}).gan;
    expect([g.lrDecayStart, g.lrDecayEnd]).toEqual([0, 0]);
    expect(() => resolveConfig({ gan: { lrDecayStart: 10, lrDecayEnd: 10 } })).toThrow(/"gan\.lrDecayStart" \(10\) and "gan\.lrDecayEnd" \(10\)/);
    expect(() => resolveConfig({ gan: { lrDecayStart: 5 } })).toThrow(/must both be 0/);
    expect(() => resolveConfig({ gan: { lrDecayStart: 1.5, lrDecayEnd: 3 } })).toThrow(/lrDecayStart/);
    expect(resolveConfig({ gan: { lrDecayStart: 75, lrDecayEnd: 100 } }).gan.lrDecayEnd).toBe(100);
  });

  it('the factor is 1 to the start, linear to 0 at the end, 0 after; always 1 when off', () => {
    const s = { lrDecayStart: 75, lrDecayEnd: 100 };
    expect([0, 75, 80, 87.5, 100, 120].map((e) => ganLrScale(s, e))).toEqual([1, 1, 0.8, 0.5, 0, 0]);
    expect(ganLrScale({ lrDecayStart: 0, lrDecayEnd: 0 }, 500)).toBe(1);
    expect(ganLrScale({}, 500)).toBe(1); // a run's config saved before the keys existed
  });

  it("Adam's first step moves a weight by lr × the factor", () => {
    const move = (scale: number) => {
      const p = tf.variable(tf.tensor1d([1, -2]), true, 'p');
      const opt = new Adam(0.1, 0.5, 0.999);
      opt.apply(new Map([['p', p]]), { p: tf.tensor1d([3, -0.5]) }, scale);
      const d = Array.from(p.dataSync()).map((x, i) => x - [1, -2][i]);
      opt.dispose();
      p.dispose();
      return d;
    };
    // Adam's first step is lr · g / |g| (bias-corrected moments), so ∓lr · scale per weight.
    move(1).forEach((d, i) => expect(d).toBeCloseTo([-0.1, 0.1][i], 5));
    move(0.25).forEach((d, i) => expect(d).toBeCloseTo([-0.025, 0.025][i], 5));
    expect(move(0)).toEqual([0, 0]);
  });

  it("a variable that joins late gets Adam's first step from its own step count, and keeps it through a checkpoint", async () => {
    const a = tf.variable(tf.tensor1d([0]), true, 'a');
    const late = tf.variable(tf.tensor1d([1]), true, 'late');
    const vars = new Map([['a', a], ['late', late]]);
    const opt = new Adam(0.1, 0.5, 0.999);
    for (let i = 0; i < 5; i++) opt.apply(vars, { a: tf.tensor1d([1]) });
    opt.t = 7499; // as after a warm start from step 7,499
    opt.apply(vars, { a: tf.tensor1d([1]), late: tf.tensor1d([3]) });
    // Its first step is lr · g / |g| = −0.1, as a new run's; bias-corrected with the run's t = 7,500
    // it would be 0.1 · 0.5·3 / √(0.001·9) ≈ −1.6.
    expect(late.dataSync()[0] - 1).toBeCloseTo(-0.1, 4);
    const state = await opt.state();
    expect(state.get('f:late')!.values[0]).toBe(7500);
    expect(state.has('f:a')).toBe(false);
    const restored = new Adam(0.1, 0.5, 0.999);
    restored.load(state, opt.t);
    expect(restored.first.get('late')).toBe(7500);
    expect(restored.first.get('a')).toBe(1);
    for (const o of [opt, restored]) o.dispose();
    a.dispose();
    late.dispose();
  });

  it('a run whose rates reach 0 after GAN epoch 1 keeps its weights through epoch 2', async () => {
    const cfg = tinyConfig((c) => {
      c.damsm.epochs = 1;
      c.gan.epochs = 2;
      c.gan.lrDecayStart = 0;
      c.gan.lrDecayEnd = 1;
    });
    const run = await train({ config: cfg, data: await eightImages(cfg), runsRoot: tmpRuns(), quiet: true });
    const [e1, e2] = listCheckpoints(run.runDir).map((c) => readWeights(c.dir, 'params'));
    let maxDiff = 0;
    for (const [k, w] of e2) {
      const before = e1.get(k)!.values;
      w.values.forEach((x, i) => (maxDiff = Math.max(maxDiff, Math.abs(x - before[i]))));
    }
    // Without the schedule, epoch 2's updates would move every trained weight.
    expect(e2.size).toBeGreaterThan(0);
    expect(maxDiff).toBe(0);
  }, 180_000);
});
