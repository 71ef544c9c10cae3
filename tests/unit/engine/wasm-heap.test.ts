import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectTrainingBackend } from '../../../training/engine/backend';
import { copyFloatsInto, tensorFromFloats } from '../../../training/engine/wasm-heap';
import { randomValues } from './helpers';

beforeAll(async () => {
  expect((await selectTrainingBackend({ override: 'wasm', log: () => {} })).name).toBe('wasm');
});

describe('wasm heap copies', () => {
  it('tensorFromFloats copies: later changes to the source do not reach the tensor', () => {
    const source = randomValues(12, 1);
    const expected = Array.from(source);
    const t = tensorFromFloats(source, [3, 4]);
    source.fill(0);
    expect(t.shape).toEqual([3, 4]);
    expect(Array.from(t.dataSync())).toEqual(expected);
    t.dispose();
  });

  it('copyFloatsInto writes the values at the offset and nothing else, and allocates no tensor', () => {
    const t = tf.tensor(randomValues(6, 2), [2, 3]);
    const target = new Float32Array(10).fill(-7);
    const before = tf.memory().numTensors;
    copyFloatsInto(t, target, 3);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(target.subarray(3, 9))).toEqual(Array.from(t.dataSync()));
    expect([...target.subarray(0, 3), target[9]]).toEqual([-7, -7, -7, -7]);
    t.dispose();
  });

  it('copyFloatsInto reads a result of a kernel (a tensor the heap allocated), not a stale buffer', () => {
    const a = tf.tensor(randomValues(8, 3), [8]);
    const b = tf.mul(a, 2);
    const target = new Float32Array(8);
    copyFloatsInto(b, target, 0);
    expect(Array.from(target)).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });
});
