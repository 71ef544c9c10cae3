import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openNodeModel, verifyFiles } from '../../../training/export/node-model';
import { sha256 } from '../../../training/export/write-files';

const MODELS = readdirSync('public/models').filter((d) => statSync(join('public/models', d)).isDirectory());

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((p) => p !== 'manifest.json');
}

describe.each(MODELS)('public/models/%s', (name) => {
  const dir = join('public/models', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

  it('lists every file with its true size and sha256', () => {
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(listFiles(dir).sort());
    for (const f of manifest.files) {
      const bytes = readFileSync(join(dir, f.path));
      expect(bytes.byteLength).toBe(f.bytes);
      expect(sha256(bytes)).toBe(f.sha256);
    }
  });

  it("fits the size budgets: final weights ≤ 8 MB, the checkpoint timeline ≤ 16 MB more", () => {
    const bytesUnder = (folder: string) =>
      manifest.files.filter((f: { path: string }) => f.path.startsWith(`${folder}/`)).reduce((n: number, f: { bytes: number }) => n + f.bytes, 0);
    expect(bytesUnder('final')).toBeGreaterThan(0);
    expect(bytesUnder('final')).toBeLessThanOrEqual(8e6);
    expect(bytesUnder('checkpoints')).toBeLessThanOrEqual(16e6);
  });

  it('refers only to listed files', () => {
    const listed = new Set(manifest.files.map((f: { path: string }) => f.path));
    const refs = [manifest.textEncoder, ...manifest.stages, ...manifest.checkpoints.flatMap((c: { textEncoder: unknown; stages: unknown[] }) => [c.textEncoder, ...c.stages])];
    for (const r of refs) expect(listed.has(r.modelJson)).toBe(true);
    for (const t of manifest.templates) for (const p of [...Object.values(t.patterns), t.thumbnail]) expect(listed.has(p)).toBe(true);
  });
});

describe('a corrupt model file', () => {
  it('is reported with a message that says what to do', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'memeface-corrupt-'));
    try {
      cpSync('public/models/spine', tmp, { recursive: true });
      const bin = join(tmp, 'final/stage_64.bin');
      const bytes = readFileSync(bin);
      bytes[100] ^= 0xff;
      writeFileSync(bin, bytes);
      expect(() => verifyFiles(tmp, openNodeModel(join(tmp, 'manifest.json'), false).manifest)).toThrow(/stage_64\.bin is corrupt.*Re-export/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
