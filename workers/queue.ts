import { WorkerError } from './errors';

/**
 * Runs jobs one at a time in arrival order. A cancelled job that has not started is skipped;
 * a running one sees `isCancelled()` turn true and stops at its next check.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly cancelled = new Set<string>();

  run<R>(id: string, job: (isCancelled: () => boolean) => Promise<R>): Promise<R> {
    const isCancelled = () => this.cancelled.has(id);
    const next = this.tail.then(async () => {
      if (isCancelled()) throw cancelledError(id);
      try {
        const r = await job(isCancelled);
        if (isCancelled()) throw cancelledError(id);
        return r;
      } finally {
        this.cancelled.delete(id);
      }
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  cancel(id: string): void {
    this.cancelled.add(id);
  }
}

function cancelledError(id: string): WorkerError {
  return new WorkerError('CancelledError', `Request ${id} was cancelled.`);
}
