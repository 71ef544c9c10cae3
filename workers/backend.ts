import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKEND_ORDER, type BackendFallback, type BackendName } from './api';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

/** Backends to try, best first, starting at `preferred` when one is forced. */
export function backendCandidates(preferred?: BackendName, exclude: BackendName[] = []): BackendName[] {
  const order = preferred ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)] : BACKEND_ORDER;
  return order.filter((b) => !exclude.includes(b));
}

/**
 * Activates the first backend that initialises. Every skipped backend is reported with its
 * reason, so the UI can tell the user (a fallback is never silent).
 */
export async function activateBackend(candidates: BackendName[]): Promise<{ backend: BackendName; fallbacks: BackendFallback[] }> {
  const fallbacks: BackendFallback[] = [];
  for (const name of candidates) {
    try {
      if (name === 'webgpu' && !('gpu' in navigator)) throw new Error('this browser has no WebGPU');
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error('it failed to initialise');
      await tf.ready();
      return { backend: name, fallbacks };
    } catch (e) {
      fallbacks.push({ backend: name, reason: (e as Error).message || String(e) });
    }
  }
  throw Object.assign(new Error('No tfjs backend could start in this browser. Try another browser.'), { name: 'BackendError' });
}

/** Resolves when the WebGPU device is lost (driver reset, GPU removed); never for other backends. */
export function onDeviceLost(backend: BackendName, callback: (reason: string) => void): void {
  if (backend !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ message: string }> } }).device;
  device?.lost?.then((info) => callback(info.message || 'the GPU device was lost'));
}

/** Destroys the active WebGPU device (test hook); its `lost` promise then fires. */
export function destroyGpuDevice(): boolean {
  const device = (tf.backend() as unknown as { device?: { destroy?: () => void } }).device;
  if (tf.getBackend() !== 'webgpu' || !device?.destroy) return false;
  device.destroy();
  return true;
}
