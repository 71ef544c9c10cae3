import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { FileRef } from '../../model/manifest';
import type { GraphBuilder } from '../../model/ops/graph';
import { serializeGraphModel, type WeightPrecision } from '../../model/ops/serialize';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
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
