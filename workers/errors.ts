import type { WorkerErrorName } from './api';

/** An error whose `name` survives comlink's structured clone, so the UI can map it to a message. */
export class WorkerError extends Error {
  constructor(override name: WorkerErrorName, message: string) {
    super(message);
  }
}

/** Comlink clones only message and name reliably: flatten any error into a WorkerError. */
export function asWorkerError(e: unknown): Error {
  if (e instanceof Error) {
    const err = new Error(e.message);
    err.name = e.name;
    return err;
  }
  return new Error(String(e));
}
