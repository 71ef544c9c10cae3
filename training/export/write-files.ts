import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { FileRef } from '../../model/manifest';
import type { GraphBuilder } from '../../model/ops/graph';
import { serializeGraphModel, type WeightPrecision } from '../../model/ops/serialize';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes an export into a folder beside `outDir`, then moves it over `outDir`: a model folder holds
 * exactly one export (no stale files from an older one, which the offline precache would ship), a
 * failed export leaves the previous one as it was, and the source may be the target itself
 * (`--from-export default --name default`).
 */
export async function replaceModelFolder<T>(outDir: string, write: (staging: string) => Promise<T>): Promise<T> {
  const staging = `${outDir.replace(/\/+$/, '')}.export-staging`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const result = await write(staging);
    rmSync(outDir, { recursive: true, force: true });
    renameSync(staging, outDir);
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Collects every file written into a model folder, for the manifest's sha256 list. */
export class ModelFolder {
  readonly files: FileRef[] = [];
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  write(relPath: string, bytes: Uint8Array | string): string {
    const full = join(this.dir, relPath);
    mkdirSync(dirname(full), { recursive: true });
    const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    writeFileSync(full, data);
    this.files.push({ path: relative(this.dir, full), bytes: data.byteLength, sha256: sha256(data) });
    return relPath;
  }

  /** Writes `<stem>.json` + `<stem>.bin` and returns the model.json path. */
  writeGraph(stem: string, g: GraphBuilder, precision: WeightPrecision, metadata?: Record<string, unknown>): string {
    const binName = `${stem.split('/').pop()}.bin`;
    const { json, bin } = serializeGraphModel(g, binName, precision, metadata);
    this.write(`${stem}.bin`, bin);
    return this.write(`${stem}.json`, JSON.stringify(json));
  }

  copy(relPath: string, from: string): string {
    return this.write(relPath, readFileSync(from));
  }
}
