import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import type { BackendFallback, BackendName, GenerateRequest, InitOptions, InitResult, MemeWorkerApi, StageImage, WorkerEvent } from './api';
import { activateBackend, backendCandidates, destroyGpuDevice, onDeviceLost } from './backend';
import { asWorkerError, WorkerError } from './errors';
import { generateMemes } from './generate';
import { SerialQueue } from './queue';
import { ModelSession } from './session';

const WARMUP_TEXT = '笑';

interface State {
  session: ModelSession;
  backend: BackendName;
  options: InitOptions;
  emit: (e: WorkerEvent) => void;
  lostBackends: BackendName[];
}

let state: State | undefined;
const queue = new SerialQueue();

/** Picks a backend, loads the model on it, warms it up, and watches for a lost GPU device. */
async function start(options: InitOptions, emit: (e: WorkerEvent) => void, exclude: BackendName[]): Promise<InitResult> {
  const t0 = performance.now();
  const { backend, fallbacks } = await activateBackend(backendCandidates(options.backend, exclude));
  const allFallbacks: BackendFallback[] = [...exclude.map((b) => ({ backend: b, reason: 'the GPU device was lost' })), ...fallbacks];
  emit({ type: 'backend', backend, fallbacks: allFallbacks });
  const session = await ModelSession.open(options.manifestUrl, emit);
  state = { session, backend, options, emit, lostBackends: exclude };
  const loadMs = performance.now() - t0;
  let warmupMs = 0;
  if (!options.skipWarmup) {
    emit({ type: 'progress', phase: 'warmup', loadedBytes: 0, totalBytes: 1, done: false });
    const w0 = performance.now();
    await generateMemes(session, backend, { id: 'warmup', text: WARMUP_TEXT, seeds: [0] }, undefined, () => false);
    warmupMs = performance.now() - w0;
    emit({ type: 'progress', phase: 'warmup', loadedBytes: 1, totalBytes: 1, done: true });
  }
  onDeviceLost(backend, (reason) => void recoverFromDeviceLoss(backend, reason));
  return { backend, fallbacks: allFallbacks, model: session.info(), loadMs, warmupMs };
}

/** The GPU went away: reload everything on the next backend, queued behind running work. */
async function recoverFromDeviceLoss(lost: BackendName, reason: string): Promise<void> {
  if (!state) return;
  const { options, emit, lostBackends } = state;
  emit({ type: 'device-lost', backend: lost, reason });
  await queue.run(`recover-${Date.now()}`, async () => {
    try {
      state?.session.dispose();
    } catch {
      // Disposing tensors of a lost device may throw; they are gone either way.
    }
    await start({ ...options, backend: undefined }, emit, [...lostBackends, lost]);
  }).catch((e: Error) => emit({ type: 'log', message: `Could not recover from the lost GPU (${e.message}). Reload the page.` }));
}

function ready(): State {
  if (!state) throw new WorkerError('NotReadyError', 'The model is still loading. Wait for it, then try again.');
  return state;
}

const api: MemeWorkerApi = {
  async init(options, onEvent) {
    const emit = (e: WorkerEvent) => onEvent?.(e);
    try {
      return await queue.run('init', () => start(options, emit, []));
    } catch (e) {
      throw asWorkerError(e);
    }
  },
  async tokenize(text) {
    try {
      const t = ready().session.tokenizer.tokenize(text);
      return { tokens: t.tokens.map((x) => ({ text: x.text, source: x.source })), truncated: t.truncated };
    } catch (e) {
      throw asWorkerError(e);
    }
  },
  async generate(request: GenerateRequest, onStage?: (images: StageImage[]) => void) {
    try {
      return await queue.run(request.id, (isCancelled) => {
        const s = ready();
        return generateMemes(s.session, s.backend, request, onStage, isCancelled);
      });
    } catch (e) {
      throw asWorkerError(e);
    }
  },
  cancel(id) {
    queue.cancel(id);
  },
  async numTensors() {
    return tf.memory().numTensors;
  },
  async loseDeviceForTest() {
    return destroyGpuDevice();
  },
  async dispose() {
    state?.session.dispose();
    state = undefined;
  },
};

Comlink.expose(api);
