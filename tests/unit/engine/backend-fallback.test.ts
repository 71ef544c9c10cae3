import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { selectTrainingBackend } from '../../../training/engine/backend';

// Its own file: vitest runs each file in a fresh process, and a wasm backend that failed to
// initialise stays failed for the life of the process.
describe('selectTrainingBackend when wasm cannot initialise', () => {
  it('falls back to cpu and reports both skipped backends', async () => {
    setWasmPaths('/nonexistent-wasm-dir/'); // a real failure: the .wasm binary cannot be read
    const lines: string[] = [];
    const choice = await selectTrainingBackend({ log: (l) => lines.push(l) });
    if (choice.name === 'tensorflow') return; // tfjs-node installed: nothing falls back
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.skipped.map((s) => s.name)).toEqual(['tensorflow', 'wasm']);
    expect(lines[0]).toMatch(/training backend: cpu .*skipped wasm/);
  });
});
