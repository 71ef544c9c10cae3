import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-webgpu in Node, through Dawn (the npm package `webgpu`, a devDependency: it ships
 * Dawn's binaries for every platform, 130 MB, so training on it is opt-in with --backend webgpu).
 *
 * Node has no `navigator.gpu`; tfjs-backend-webgpu registers itself at import time only where one
 * exists, so the GPU object is installed first and the backend imported after. Dawn needs a
 * Vulkan driver on Linux (libvulkan.so.1 plus an ICD: a GPU's, or Chromium's SwiftShader through
 * VK_ICD_FILENAMES for a CPU check).
 */
export class NodeWebGpuUnavailableError extends Error {
  constructor(problem: string) {
    super(`WebGPU in Node is unavailable: ${problem}`);
    this.name = 'NodeWebGpuUnavailableError';
  }
}

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}
interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: object): Promise<AdapterLike | null>;
}

/** Which adapter the webgpu backend runs on, for the start-up line and benchmark reports. */
export interface NodeWebGpuAdapter {
  description: string;
}

/** Installs Dawn's GPU as navigator.gpu and registers tfjs's webgpu backend (not yet active). */
export async function installNodeWebGpu(): Promise<NodeWebGpuAdapter> {
  const dawn = await importDawn();
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    throw new NodeWebGpuUnavailableError('Dawn found no GPU adapter. On Linux install libvulkan1 and a Vulkan driver (for a CPU check: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json).');
  }
  Object.assign(globalThis, dawn.globals);
  // Node 20 has no navigator; Node 21+ has one without gpu.
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: GpuLike };
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  if (tf.findBackendFactory('webgpu') === null) await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu') === null) throw new NodeWebGpuUnavailableError('@tensorflow/tfjs-backend-webgpu registered no "webgpu" backend.');
  return { description: describeAdapter(adapter) };
}

async function importDawn(): Promise<DawnModule> {
  // A variable specifier keeps bundlers from inlining the native module and tsc from typing it.
  const specifier = 'webgpu';
  try {
    return (await import(specifier)) as DawnModule;
  } catch (e) {
    throw new NodeWebGpuUnavailableError(`the "webgpu" package did not load (${e instanceof Error ? e.message.split('\n')[0] : String(e)}). Install it with \`npm install webgpu\`.`);
  }
}

function describeAdapter(a: AdapterLike): string {
  const info = a.info ?? {};
  const name = [info.vendor, info.architecture, info.description].filter((s) => s && s.length > 0).join(' ');
  return `${name || 'unknown adapter'}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
}
