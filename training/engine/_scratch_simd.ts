import * as tf from '@tensorflow/tfjs-core';
import { selectTrainingBackend } from './backend';
await selectTrainingBackend({ override: 'wasm', log: () => {} });
console.log('simd', await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), 'threads', await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
