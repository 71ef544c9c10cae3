import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let tmp: string;

/** Runs `npm run generate -- ...` the way a user does; resolves with exit code and output. */
async function generate(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run('npx', ['tsx', 'training/cli/generate.ts', ...args], { timeout: 120_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('npm run generate', () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'memeface-generate-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes a 256×256 PNG per variant from the bundled model', async () => {
    const out = join(tmp, 'meme.png');
    const r = await generate(['--text', '别说了我脸红了', '--template', 'noto', '--seed', '7', '--variants', '2', '--out', out]);
    expect(r.code).toBe(0);
    const png = PNG.sync.read(readFileSync(out));
    expect([png.width, png.height]).toEqual([512, 256]);
    expect(r.out).toMatch(/tokens 别说 \/ 了 \/ 我 \/ 脸红 \/ 了/);
  });

  it('rejects empty text and unknown templates with exit code 2 and what to do', async () => {
    const empty = await generate(['--text', '   ']);
    expect(empty.code).toBe(2);
    expect(empty.out).toMatch(/EmptyTextError: .*Type a short phrase/);
    const unknown = await generate(['--text', '笑', '--template', 'no-such']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toMatch(/Pick one of: .*noto/);
  });

  it('refuses a model whose file fails its sha256, and a missing model', async () => {
    const dir = join(tmp, 'corrupt');
    cpSync('public/models/spine', dir, { recursive: true });
    const bin = join(dir, 'final/text_encoder.bin');
    const bytes = readFileSync(bin);
    bytes[8] ^= 0x55;
    writeFileSync(bin, bytes);
    const corrupt = await generate(['--text', '笑', '--model', dir, '--out', join(tmp, 'x.png')]); // a model folder works as well as its manifest.json
    expect(corrupt.code).toBe(1);
    expect(corrupt.out).toMatch(/ModelFileError: .*corrupt/);
    const missing = await generate(['--text', '笑', '--model', join(tmp, 'nothing', 'manifest.json')]);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/ModelNotFoundError: No exported model .*Export one with npm run export/);
  });
});
