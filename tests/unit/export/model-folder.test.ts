import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceModelFolder } from '../../../training/export/write-files';

/** Every `npm run export` writes beside the target and then moves over it (write-files.ts). */
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'model-folder-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function oldExport(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'checkpoints/epoch_0020'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), '{"old":true}');
  writeFileSync(join(dir, 'checkpoints/epoch_0020/stage_0.bin'), 'stale');
  return dir;
}

describe('replaceModelFolder', () => {
  it('leaves only the new export: files of the old one that it does not write are gone', async () => {
    const dir = oldExport('ok');
    const out = await replaceModelFolder(dir, async (staging) => {
      mkdirSync(staging, { recursive: true });
      writeFileSync(join(staging, 'manifest.json'), '{"new":true}');
      return 'written';
    });
    expect(out).toBe('written');
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe('{"new":true}');
    expect(existsSync(join(dir, 'checkpoints'))).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('staging'))).toEqual([]);
  });

  it('a failed export leaves the previous one untouched, and no half-written folder beside it', async () => {
    const dir = oldExport('fails');
    await expect(
      replaceModelFolder(dir, async (staging) => {
        mkdirSync(staging, { recursive: true });
        writeFileSync(join(staging, 'manifest.json'), '{"half":true}');
        throw new Error('the run folder has no checkpoint');
      }),
    ).rejects.toThrow(/no checkpoint/);
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe('{"old":true}');
    expect(readFileSync(join(dir, 'checkpoints/epoch_0020/stage_0.bin'), 'utf8')).toBe('stale');
    expect(readdirSync(tmp).filter((f) => f.includes('staging'))).toEqual([]);
  });
});
