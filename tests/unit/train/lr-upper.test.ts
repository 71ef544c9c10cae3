import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../training/train/config';
import { Adam } from '../../../training/train/optim';
import { upperStageVariable } from '../../../training/train/trainer';
import { backend, eightImageTrainer, ganSteps, tinyConfig } from './helpers';

beforeAll(async () => {
  await backend();
});

/** Each variable's values, copied. */
function snapshot(vars: Map<string, tf.Variable>): Map<string, Float32Array> {
  return new Map([...vars].map(([k, v]) => [k, (v.dataSync() as Float32Array).slice()]));
}

function moved(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('gan.lrGUpper: the upper stages\' own learning rate', () => {
  it('names the variables of G_i and G\'_i for i ≥ 1 only', () => {
    expect(upperStageVariable('gen/s1/up0/conv/w')).toBe(true);
    expect(upperStageVariable('gen/edit2/fuse/w')).toBe(true);
    expect(upperStageVariable('gen/edit12/fuse/w')).toBe(true);
    for (const n of ['gen/s0/fc/w', 'gen/edit0/fuse/w', 'gen/ca/w', 'text/embed', 'disc/s1/w', 'gen/s1x/w']) expect(upperStageVariable(n)).toBe(false);
  });

  it('Adam scales each variable\'s step by its rate', () => {
    const vars = new Map([['a', tf.variable(tf.zeros([3]))], ['b', tf.variable(tf.zeros([3]))]]);
    const adam = new Adam(0.1, 0.5, 0.999, 1e-8, (name) => (name === 'b' ? 0.25 : 1));
    adam.apply(vars, { a: tf.tensor1d([1, -2, 3]), b: tf.tensor1d([1, -2, 3]) });
    const a = vars.get('a')!.dataSync();
    const b = vars.get('b')!.dataSync();
    for (let i = 0; i < 3; i++) expect(b[i]).toBeCloseTo(a[i] * 0.25, 6);
    expect(Math.abs(a[0])).toBeCloseTo(0.1, 4); // Adam's first step is lr · sign(g)
    adam.dispose();
    tf.dispose([...vars.values()]);
  });

  it('is off by default (0: every G variable at gan.lrG)', () => {
    expect(resolveConfig({}).gan.lrGUpper).toBe(0);
  });

  it('holds the upper stages still while stage 0 trains, when set near zero', async () => {
    const cfg = tinyConfig((c) => (c.gan.lrGUpper = c.gan.lrG * 1e-6));
    const trainer = await eightImageTrainer(cfg);
    const upper = trainer.names('gen/').filter(upperStageVariable);
    const lower = trainer.names('gen/').filter((n) => !upperStageVariable(n));
    expect(upper.length).toBeGreaterThan(0);
    const before = snapshot(trainer.store.vars);
    await ganSteps(trainer, 2);
    const after = snapshot(trainer.store.vars);
    const most = (names: string[]) => Math.max(...names.map((n) => moved(before.get(n)!, after.get(n)!)));
    expect(most(lower)).toBeGreaterThan(1e-3); // stage 0 moved at gan.lrG
    expect(most(upper)).toBeLessThan(1e-6); // the upper stages at a millionth of it
    await trainer.dispose();
  });
});
