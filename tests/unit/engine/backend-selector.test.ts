import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  backendFromArgs,
  selectTrainingBackend,
  TrainingBackendUnavailableError,
} from '../../../training/engine/backend';

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('selectTrainingBackend', () => {
  it('prefers tfjs-node, else falls back to wasm and says why, printing one line', async () => {
    const lines: string[] = [];
    const choice = await selectTrainingBackend({ log: (l) => lines.push(l) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`training backend: ${choice.name}`);
    expect(tf.getBackend()).toBe(choice.name);
    if (choice.name !== 'tensorflow') {
      expect(choice.name).toBe('wasm');
      expect(choice.skipped.map((s) => s.name)).toEqual(['tensorflow']);
      expect(lines[0]).toContain('skipped tensorflow');
    }
  });

  it('honours an override', async () => {
    expect((await selectTrainingBackend({ override: 'cpu', log: () => {} })).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectTrainingBackend({ override: 'wasm', log: () => {} })).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it.skipIf(tfjsNodeInstalled())('fails with a named error when the overridden backend cannot load', async () => {
    await expect(selectTrainingBackend({ override: 'tensorflow', log: () => {} })).rejects.toThrow(
      TrainingBackendUnavailableError,
    );
    await expect(selectTrainingBackend({ override: 'tensorflow', log: () => {} })).rejects.toThrow(/npm install/);
  });

  it('reads --backend from the command line', () => {
    expect(backendFromArgs(['--backend', 'cpu'])).toBe('cpu');
    expect(backendFromArgs(['--iters=3', '--backend=wasm'])).toBe('wasm');
    expect(backendFromArgs([])).toBeUndefined();
    expect(() => backendFromArgs(['--backend', 'gpu'])).toThrow(/one of tensorflow, wasm, cpu/);
  });
});
