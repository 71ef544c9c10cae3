import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's own entry points register no gradients (nor the cpu backend); the union package
// does both, and its Node build is CommonJS, which Node can load without a bundler.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './kernels/register';
import { registerMissingGradients } from './kernels/missing-gradients';
import { registerSecondOrderGradients } from './kernels/second-order';
import { installNodeWebGpu } from './webgpu-node';
import { registerCpuKernelFixes } from './kernels/cpu-fixes';

export type TrainingBackendName = 'tensorflow' | 'wasm' | 'cpu' | 'webgpu';
/** Tried in this order when no backend is named. */
export const TRAINING_BACKENDS: readonly TrainingBackendName[] = ['tensorflow', 'wasm', 'cpu'];
/**
 * Only when named (--backend webgpu): WebGPU through Dawn needs the optional `webgpu` package and a
 * GPU driver, and Dawn's CPU fallback (SwiftShader) is slower than wasm, so it is never guessed.
 */
export const OPT_IN_BACKENDS: readonly TrainingBackendName[] = ['webgpu'];

export interface BackendAttempt {
  name: TrainingBackendName;
  error: string;
}

export interface BackendChoice {
  name: TrainingBackendName;
  /** Backends tried first that failed, with why. */
  skipped: BackendAttempt[];
  /** The backend and what it runs on, e.g. "webgpu on nvidia …" (for reports). */
  description: string;
  /** One line for the start of a training log: the description and what was skipped. */
  summary: string;
}

export interface SelectBackendOptions {
  /** Use exactly this backend; fails instead of falling back. */
  override?: TrainingBackendName;
  /** Where the choice is printed; defaults to console.log. Pass `() => {}` to stay quiet. */
  log?: (line: string) => void;
}

export class TrainingBackendUnavailableError extends Error {
  constructor(name: TrainingBackendName, cause: string) {
    super(`Training backend "${name}" is unavailable (${cause}). ${remedy(name)}`);
    this.name = 'TrainingBackendUnavailableError';
  }
}

function remedy(name: TrainingBackendName): string {
  if (name === 'tensorflow') return 'Install it with `npm install @tensorflow/tfjs-node` (needs to download libtensorflow), or pass --backend wasm.';
  if (name === 'webgpu') return 'Install the optional package with `npm install webgpu` and a GPU driver (Vulkan on Linux), or pass --backend wasm.';
  if (name === 'wasm') return 'Check that @tensorflow/tfjs-backend-wasm and its .wasm files are installed, or pass --backend cpu.';
  return 'Reinstall @tensorflow/tfjs.';
}

/**
 * Picks the fastest training backend that works here: tfjs-node (native TensorFlow), then wasm
 * with this engine's gradient kernels, then the pure-JS cpu backend. Prints the choice.
 */
export async function selectTrainingBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const log = options.log ?? ((line: string) => console.log(line));
  // Gradients are global, not per backend: every backend gets the fixes and R1 support.
  registerMissingGradients();
  registerCpuKernelFixes(); // cpu is also the fallback, so it must be right
  registerSecondOrderGradients();
  const order = options.override ? [options.override] : TRAINING_BACKENDS;
  const skipped: BackendAttempt[] = [];
  for (const name of order) {
    const { error, detail } = await tryActivate(name);
    if (error === null) {
      const description = describeBackend(name, detail);
      const why = skipped.map((s) => `; skipped ${s.name}: ${s.error}`).join('');
      const choice = { name, skipped, description, summary: `[engine] training backend: ${description}${why}` };
      log(choice.summary);
      return choice;
    }
    if (options.override) throw new TrainingBackendUnavailableError(name, error);
    skipped.push({ name, error });
  }
  throw new TrainingBackendUnavailableError('cpu', skipped.map((s) => `${s.name}: ${s.error}`).join('; '));
}

/** Makes `name` the active tfjs backend; `error` says why not (null on success), `detail` what it runs on. */
async function tryActivate(name: TrainingBackendName): Promise<{ error: string | null; detail: string }> {
  try {
    let detail = '';
    if (name === 'tensorflow') await loadTfjsNode();
    if (name === 'wasm') registerWasmTrainingKernels('wasm');
    if (name === 'webgpu') detail = ` on ${(await installNodeWebGpu()).description}`;
    const ok = await tf.setBackend(name);
    if (!ok) return { error: `tf.setBackend('${name}') failed to initialise`, detail };
    await tf.ready();
    return { error: null, detail };
  } catch (e) {
    return { error: firstLine(e), detail: '' };
  }
}

async function loadTfjsNode(): Promise<void> {
  // A variable specifier keeps bundlers and tsc from requiring the optional package.
  const specifier = '@tensorflow/tfjs-node';
  await import(specifier);
  if (tf.findBackendFactory('tensorflow') === null) throw new Error('tfjs-node loaded but registered no "tensorflow" backend');
}

function describeBackend(name: TrainingBackendName, activeDetail: string): string {
  const detail =
    name === 'wasm'
      ? ` with ${WASM_TRAINING_KERNELS.length} training kernels, 1 thread per process`
      : name === 'cpu'
        ? ' (slow: about 0.05 GFLOP/s; use only for checks)'
        : activeDetail;
  return `${name}${detail}`;
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].slice(0, 200);
}

/** Reads `--backend <name>` or `--backend=<name>` from command-line arguments. */
export function backendFromArgs(args: string[]): TrainingBackendName | undefined {
  const i = args.findIndex((a) => a === '--backend' || a.startsWith('--backend='));
  if (i < 0) return undefined;
  const value = args[i].includes('=') ? args[i].split('=')[1] : args[i + 1];
  const names = [...TRAINING_BACKENDS, ...OPT_IN_BACKENDS];
  if (!names.includes(value as TrainingBackendName)) {
    throw new Error(`--backend must be one of ${names.join(', ')}; got "${value}".`);
  }
  return value as TrainingBackendName;
}
