/**
 * Training backend: the engine of issue 4 (training/engine: tfjs-node → wasm with its gradient
 * kernels → cpu) when present, else tfjs' cpu backend. `webgpu` (tfjs-backend-webgpu through Dawn,
 * the optional `webgpu` package) is used only when asked for: the trainer reads every value
 * asynchronously, which is all a GPU backend in Node allows.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';

export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu' | 'webgpu';
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow', 'wasm', 'cpu', 'webgpu'];

export class TrainerBackendError extends Error {
  constructor(request: string) {
    super(`--backend ${request} is not a training backend. Use --backend ${BACKEND_REQUESTS.join('|')}.`);
    this.name = 'TrainerBackendError';
  }
}

export async function initTrainingBackend(request: BackendRequest = 'auto', log: (line: string) => void = console.log): Promise<string> {
  if (!BACKEND_REQUESTS.includes(request)) throw new TrainerBackendError(request);
  const entry = fileURLToPath(new URL('../engine/index.ts', import.meta.url));
  if (existsSync(entry)) {
    const spec = '../engine/index';
    const engine = (await import(/* @vite-ignore */ spec)) as {
      initTrainingEngine?: (o: { backend?: string; log?: (l: string) => void }) => Promise<{ name: string }>;
    };
    if (typeof engine.initTrainingEngine === 'function') {
      const choice = await engine.initTrainingEngine({ backend: request === 'auto' ? undefined : request, log });
      return choice.name;
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  log('[train] training/engine not present: using the tfjs cpu backend');
  return 'cpu';
}
