import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { captionsForFaces } from '../../../training/data/captions/sources';
import { resolveDataConfig } from '../../../training/data/config';
import { loadCorpus } from '../../../training/data/corpus';
import { listFaces } from '../../../training/data/faces';
import { buildEmojiCorpus } from '../../../training/data/pipeline/emoji';
import { drawingsForStyle } from '../../../training/data/sources/images';
import { FORBIDDEN_PACKAGES, STYLES } from '../../../training/data/sources/styles';

describe('emoji sources', () => {
  it('lists the 131 faces of Emoji 17 with cats and monkeys', () => {
    const faces = listFaces();
    expect(faces).toHaveLength(131);
    expect(faces.filter((f) => f.kind === 'cat')).toHaveLength(9);
    expect(faces.filter((f) => f.kind === 'monkey')).toHaveLength(3);
  });

  it('uses no forbidden set and at least 13 style families', () => {
    expect(STYLES.length).toBeGreaterThanOrEqual(13);
    for (const style of STYLES) expect(FORBIDDEN_PACKAGES as readonly string[]).not.toContain(style.npmPackage);
    expect(STYLES.map((s) => s.npmPackage).join(' ')).not.toMatch(/apple|facebook|joypixels|emojione-assets|wechat/i);
  });

  it('finds drawings by codepoint, legacy name and the Firefox OS table', () => {
    const faces = listFaces();
    const count = (id: string): number => drawingsForStyle(STYLES.find((s) => s.id === id)!, faces).length;
    expect(count('noto')).toBe(131);
    expect(count('emojione')).toBeGreaterThanOrEqual(95);
    expect(count('fxemoji')).toBeGreaterThanOrEqual(75);
  });

  it('gives every face Chinese and English caption candidates', () => {
    const captions = captionsForFaces(listFaces(), true);
    const blush = captions.get('1F633')!;
    expect(blush.zhName).toBe('脸红');
    expect(blush.zh.map((c) => c.text)).toContain('害羞');
    expect(blush.zh.some((c) => c.source === 'rime')).toBe(true);
    expect(blush.en).toContain('flushed face');
  });

  it('builds a small corpus with templates, sizes and a manifest the loader reads', async () => {
    const out = mkdtempSync(join(tmpdir(), 'memeface-emoji-'));
    try {
      const config = resolveDataConfig({ outDir: out, styles: ['noto', 'twemoji'], maxFacesPerStyle: 45, imageSize: 64, derivedSizes: [32] });
      const { manifest, report } = await buildEmojiCorpus(config);
      expect(manifest.templates.map((t) => t.id)).toEqual(['noto', 'twemoji']);
      expect(manifest.templates.every((t) => t.baseReason === 'neutral face' && t.baseRecordId.endsWith('-1F610'))).toBe(true);
      expect(report.steps.map((s) => s.step)).toHaveLength(6);
      const corpus = loadCorpus(out);
      const record = corpus.records[0];
      expect(record.zh.length).toBeGreaterThan(0);
      expect(PNG.sync.read(readFileSync(record.imagePaths['64'])).width).toBe(64);
      expect(PNG.sync.read(readFileSync(corpus.templates[0].imagePaths['32'])).width).toBe(32);
      const held = new Set(manifest.heldOutCaptions);
      for (const r of manifest.records.filter((x) => x.split === 'train')) expect(r.zh.some((c) => held.has(c.text))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
