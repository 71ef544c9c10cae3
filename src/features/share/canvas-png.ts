/** The canvas as a PNG blob (what Download and Copy hand over). */
export function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png'),
  );
}

/** Saves a blob through a temporary link; the object URL is revoked once the click is handled. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name that says what the meme is: memeface-<text>-<seed>.png, safe on every OS. */
export function memeFilename(text: string, seed: number): string {
  const slug = Array.from(text.replace(/[\\/:*?"<>|\s]+/g, '-').replace(/^-+|-+$/g, '')).slice(0, 24).join('');
  return `memeface-${slug || 'meme'}-${seed}.png`;
}
