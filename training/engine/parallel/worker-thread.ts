import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './protocol';

export class GradientWorkerError extends Error {
  constructor(message: string) {
    super(`A training worker thread failed: ${message}`);
    this.name = 'GradientWorkerError';
  }
}

/** `count` worker threads, each with the gradient module loaded (its setup run) and a backend ready. */
export async function startWorkerThreads(count: number, modulePath: string, moduleOptions: unknown = {}): Promise<WorkerThread[]> {
  const threads = Array.from({ length: count }, () => new WorkerThread());
  await Promise.all(threads.map((t) => t.request({ kind: 'init', modulePath, moduleOptions })));
  return threads;
}

/** One worker thread with a request/reply queue (one request in flight at a time). */
export class WorkerThread {
  private readonly worker: Worker;
  private pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null;

  constructor() {
    this.worker = startWorker(new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
    this.worker.on('message', (m: FromWorker) => this.settle(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => code !== 0 && this.fail(new Error(`worker exited with code ${code}`)));
  }

  post(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  request(msg: ToWorker): Promise<FromWorker> {
    if (this.pending) throw new Error('One request at a time per training worker; await the previous call.');
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(msg);
    });
  }

  async terminate(): Promise<void> {
    this.pending = null;
    await this.worker.terminate();
  }

  private settle(m: FromWorker): void {
    const p = this.pending;
    this.pending = null;
    if (m.kind === 'error') p?.reject(new GradientWorkerError(m.message));
    else p?.resolve(m);
  }

  private fail(e: Error): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(new GradientWorkerError(e.message));
  }
}

/**
 * Node 20 does not apply `--import` loaders to a worker's entry file, so a .ts worker (when this
 * runs from source under tsx or vitest) starts as a tiny JS script that registers tsx first.
 */
function startWorker(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { eval: true });
}
