import * as Comlink from 'comlink';
import type { GenerateRequest, GenerateResult, InitOptions, InitResult, MemeWorkerApi, StageImage, TokenizeResult, WorkerEvent } from '../../workers/api';

/**
 * The UI's only door to the model. Wraps the comlink proxy with AbortSignal support; the worker
 * itself queues calls, so overlapping requests run in order and a superseded one can be aborted.
 */
export class MemeClient {
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<MemeWorkerApi>;
  private nextId = 0;

  constructor() {
    this.worker = new Worker(new URL('../../workers/meme.worker.ts', import.meta.url), { type: 'module', name: 'memeface' });
    this.api = Comlink.wrap<MemeWorkerApi>(this.worker);
  }

  init(options: InitOptions, onEvent: (e: WorkerEvent) => void): Promise<InitResult> {
    return this.api.init(options, Comlink.proxy(onEvent));
  }

  tokenize(text: string): Promise<TokenizeResult> {
    return this.api.tokenize(text);
  }

  async generate(
    request: Omit<GenerateRequest, 'id'>,
    options: { signal?: AbortSignal; onStage?: (images: StageImage[]) => void } = {},
  ): Promise<GenerateResult> {
    const id = `g${this.nextId++}`;
    const abort = () => void this.api.cancel(id);
    if (options.signal?.aborted) throw abortError(id);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const onStage = options.onStage ? Comlink.proxy(options.onStage) : undefined;
      return await this.api.generate({ ...request, id }, onStage);
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  numTensors(): Promise<number> {
    return this.api.numTensors();
  }

  loseDeviceForTest(): Promise<boolean> {
    return this.api.loseDeviceForTest();
  }

  terminate(): void {
    this.worker.terminate();
  }
}

function abortError(id: string): Error {
  const e = new Error(`Request ${id} was cancelled.`);
  e.name = 'CancelledError';
  return e;
}
