/**
 * Training backend: the engine of issue 4 (training/engine: tfjs-node → wasm with its gradient
 * kernels → cpu) when present, else tfjs' cpu backend.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';

export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export class TrainerBackendError extends Error {
  constructor(request: string) {
    const why =
      request === 'webgpu'
        ? " The MemeFace trainer reads its losses synchronously, which tfjs' webgpu backend cannot do in Node; webgpu in Node is for `npm run bench:train -- --modes webgpu`."
        : '';
    super(`--backend ${request} is not a training backend.${why} Use --backend ${BACKEND_REQUESTS.join('|')}.`);
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
