import type { WorkerErrorName } from '../../workers/api';
import type { Translate } from '../i18n/i18n';

const KNOWN: WorkerErrorName[] = ['EmptyTextError', 'ModelFileError', 'ManifestError', 'UnknownTemplateError', 'InvalidImageError', 'NotReadyError', 'InvalidRequestError', 'BackendError'];

export interface UserMessage {
  /** What happened and what to do, in the UI language. */
  message: string;
  /** The worker's own words (which file, which backend), for the curious and for bug reports. */
  detail?: string;
  name: string;
}

/** Turns a worker error into a sentence for the user; unknown errors keep their own message as detail. */
export function describeError(e: unknown, t: Translate): UserMessage {
  const err = e as { name?: string; message?: string };
  const name = err?.name ?? 'Error';
  const detail = err?.message ?? String(e);
  if ((KNOWN as string[]).includes(name)) return { name, message: t(`error.${name as WorkerErrorName}` as Parameters<Translate>[0]), detail };
  return { name, message: t('error.unknown'), detail };
}

export function isCancelled(e: unknown): boolean {
  return (e as { name?: string })?.name === 'CancelledError';
}
