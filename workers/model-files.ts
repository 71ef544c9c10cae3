import { WorkerError } from './errors';

/** Fetches model files once, checks each against the manifest's sha256, and caches the bytes. */
export class ModelFiles {
  private readonly cache = new Map<string, ArrayBuffer>();
  constructor(
    private readonly baseUrl: string,
    private readonly expected: Map<string, { bytes: number; sha256: string }>,
    private readonly onBytes: (n: number) => void,
  ) {}

  url(path: string): string {
    return new URL(path, this.baseUrl).href;
  }

  async get(path: string): Promise<ArrayBuffer> {
    const hit = this.cache.get(path);
    if (hit) return hit;
    const want = this.expected.get(path);
    if (!want) throw new WorkerError('ModelFileError', `The manifest does not list ${path}. Re-export the model.`);
    let bytes: ArrayBuffer;
    try {
      const res = await fetch(this.url(path));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      bytes = await res.arrayBuffer();
    } catch (e) {
      throw new WorkerError('ModelFileError', `Could not download model file ${path} (${(e as Error).message}). Check your connection and reload.`);
    }
    const digest = await sha256Hex(bytes);
    if (digest !== want.sha256) {
      throw new WorkerError('ModelFileError', `Model file ${path} is corrupt (its sha256 does not match the manifest). Reload the page; if it persists, the site's model files need to be redeployed.`);
    }
    this.onBytes(bytes.byteLength);
    this.cache.set(path, bytes);
    return bytes;
  }

  async text(path: string): Promise<string> {
    return new TextDecoder().decode(await this.get(path));
  }
}

export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}
