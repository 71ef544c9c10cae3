import { describe, expect, it } from 'vitest';
import { TrainingBackendUnavailableError } from '../../../training/engine/backend';
import { initTrainingBackend, type BackendRequest } from '../../../training/train/backend';

describe('the MemeFace trainer backend request', () => {
  it('takes webgpu, and says what to install when Dawn finds no GPU driver', async () => {
    // A Vulkan loader pointed at no driver: the state of a machine without a GPU or SwiftShader.
    // (webgpu-trainer.test.ts trains on webgpu where a driver is present.)
    process.env.VK_ICD_FILENAMES = '/nonexistent/no_icd.json';
    const attempt = initTrainingBackend('webgpu', () => {});
    await expect(attempt).rejects.toBeInstanceOf(TrainingBackendUnavailableError);
    await expect(attempt).rejects.toThrow(/Training backend "webgpu" is unavailable .*npm install webgpu.*Vulkan.*--backend wasm/);
  });

  it('rejects a misspelt backend by name', async () => {
    await expect(initTrainingBackend('wsam' as BackendRequest, () => {})).rejects.toThrow('--backend wsam is not a training backend. Use --backend auto|tensorflow|wasm|cpu|webgpu.');
  });
});
