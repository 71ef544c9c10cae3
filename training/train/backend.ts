/**
 * Training backend: the engine of issue 4 (training/engine: tfjs-node → wasm with its gradient
 * kernels → cpu) when present, else tfjs' cpu backend.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';

export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export async function initTrainingBackend(request: BackendRequest = 'auto', log: (line: string) => void = console.log): Promise<string> {
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
