import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDataConfig } from '../../../training/data/config';
import { loadCorpus } from '../../../training/data/corpus';
import { buildUserCorpus } from '../../../training/data/pipeline/user';
import { parseCsv, readCaptionsFile } from '../../../training/data/userFolder';
import { faceSvg, memeSvg, svgToPng } from './helpers';
import sharp from 'sharp';

let folder: string;
let out: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'memeface-user-'));
  out = mkdtempSync(join(tmpdir(), 'memeface-out-'));
  const rows: string[] = ['file,caption,expression'];
  const captions = ['别骗我', '求求你了', '省省吧', '没脸见人', '真的假的', '笑死我了'];
  for (let i = 0; i < 6; i++) {
    for (const style of ['yellow-flat', 'blue-outline'] as const) {
      const name = `${style}-${i}.png`;
      writeFileSync(join(folder, name), await svgToPng(faceSvg(style, i)));
      rows.push(`${name},"${captions[i]}",mood${i}`, `${name},${captions[(i + 1) % 6]}呀,mood${i}`);
    }
  }
  writeFileSync(join(folder, 'meme-with-band.png'), await sharp(Buffer.from(memeSvg('white-bottom'))).png().toBuffer());
  rows.push('meme-with-band.png,这是带字的表情,band');
  writeFileSync(join(folder, 'empty.png'), Buffer.alloc(0));
  const truncated = await svgToPng(faceSvg('yellow-flat', 1));
  writeFileSync(join(folder, 'truncated.png'), truncated.subarray(0, 60));
  writeFileSync(join(folder, 'notes.txt'), 'not an image at all');
  writeFileSync(join(folder, 'uncaptioned.png'), await svgToPng(faceSvg('blue-outline', 3)));
  rows.push('empty.png,空的文件啊,x', 'truncated.png,坏掉的文件,x', 'notes.txt,不是图片呢,x', 'missing.png,不存在的图,x');
  writeFileSync(join(folder, 'captions.csv'), `${rows.join('\n')}\n`);
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('user folder', () => {
  it('parses quoted CSV fields', () => {
    expect(parseCsv('file,caption\n"a,b.png","说 ""你好"""\r\nc.png,好\n')).toEqual([['file', 'caption'], ['a,b.png', '说 "你好"'], ['c.png', '好']]);
  });

  it('reads JSONL captions and reports bad lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memeface-jsonl-'));
    writeFileSync(join(dir, 'captions.jsonl'), '{"file":"a.png","zh":["别骗我"],"en":["liar"]}\n{"file":"a.png","caption":"求求你"}\nnot json\n{"file":"b.png"}\n');
    const { entries, problems } = readCaptionsFile(dir);
    expect(entries.get('a.png')?.zh).toEqual(['别骗我', '求求你']);
    expect(problems.map((p) => p.line)).toEqual([3, 4]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips broken, empty, non-image and uncaptioned files, crops the band and builds a loadable corpus', async () => {
    const config = resolveDataConfig({ outDir: out, imageSize: 64, derivedSizes: [32], clustering: { k: 'auto' }, perplexity: { maxQuantile: 1 } });
    const { manifest, report } = await buildUserCorpus(folder, config);
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.file, s.reason]));
    expect(skipped['empty.png']).toBe('empty file');
    expect(skipped['truncated.png']).toMatch(/unreadable|not an image/);
    expect(skipped['notes.txt']).toMatch(/not an image|unreadable/);
    expect(skipped['uncaptioned.png']).toMatch(/no caption/);
    expect(skipped['missing.png']).toMatch(/missing/);
    expect(report.bandsCropped.map((b) => b.file)).toEqual(['meme-with-band.png']);
    expect(manifest.records).toHaveLength(13);
    expect(manifest.templates.length).toBeGreaterThanOrEqual(2);
    const corpus = loadCorpus(out);
    const png = PNG.sync.read(readFileSync(corpus.records[0].imagePaths['64']));
    expect([png.width, png.height]).toEqual([64, 64]);
    expect(readFileSync(corpus.templates[0].imagePaths['32']).length).toBeGreaterThan(0);
    expect(corpus.records.filter((r) => r.split === 'test').length).toBeGreaterThan(0);
  });
});
