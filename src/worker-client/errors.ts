/** Turns a worker error into a sentence for the user; unknown errors keep their own message. */
export function describeError(e: unknown): string {
  const err = e as { name?: string; message?: string };
  switch (err?.name) {
    case 'EmptyTextError':
    case 'ModelFileError':
    case 'ManifestError':
    case 'UnknownTemplateError':
    case 'InvalidImageError':
    case 'NotReadyError':
    case 'BackendError':
      return err.message ?? String(e);
    default:
      return `Something went wrong: ${err?.message ?? String(e)}. Reload the page and try again.`;
  }
}

export function isCancelled(e: unknown): boolean {
  return (e as { name?: string })?.name === 'CancelledError';
}
