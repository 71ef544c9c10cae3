import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

const TFJS_NODE = '@tensorflow/tfjs-node';

/**
 * Node inference backend: tfjs-node when it is installed (an optional dependency), otherwise
 * wasm (fast forward passes, no custom kernels needed), otherwise cpu.
 */
export async function selectInferenceBackend(override?: string): Promise<string> {
  const order = override ? [override] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      // A variable specifier: tfjs-node is optional and has no types where it is not installed.
      if (name === 'tensorflow') await import(TFJS_NODE);
      if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // Not installable or not loadable here: try the next one.
    }
  }
  throw new Error(`No tfjs backend could start${override ? ` (asked for ${override})` : ''}.`);
}
