import { describe, expect, it } from 'vitest';
import { initTrainingBackend, TrainerBackendError, type BackendRequest } from '../../../training/train/backend';

describe('the MemeFace trainer backend request', () => {
  it('rejects webgpu up front with what to use instead, before anything is activated', async () => {
    const attempt = initTrainingBackend('webgpu' as BackendRequest, () => {});
    await expect(attempt).rejects.toBeInstanceOf(TrainerBackendError);
    await expect(attempt).rejects.toThrow(/reads its losses synchronously.*bench:train -- --modes webgpu.*--backend auto\|tensorflow\|wasm\|cpu/);
  });

  it('rejects a misspelt backend by name', async () => {
    await expect(initTrainingBackend('wsam' as BackendRequest, () => {})).rejects.toThrow('--backend wsam is not a training backend. Use --backend auto|tensorflow|wasm|cpu.');
  });
});
