import { describe, expect, it } from 'vitest';
import { readUrlState } from '../../../src/app/url-state';
import { filterTemplates } from '../../../src/features/templates/filter-templates';
import { memeFilename } from '../../../src/features/share/canvas-png';
import { MESSAGES } from '../../../src/i18n/messages';
import { translator } from '../../../src/i18n/translate';

describe('UI messages', () => {
  it('have the same keys and placeholders in zh and en', () => {
    const en = MESSAGES.en as Record<string, string>;
    const zh = MESSAGES.zh as Record<string, string>;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en)) expect(vars(zh[key]), key).toEqual(vars(en[key]));
  });

  it('fill placeholders', () => {
    expect(translator('en')('status.ready', { backend: 'wasm' })).toBe('Ready on wasm');
    expect(translator('zh')('status.ready', { backend: 'webgpu' })).toBe('已就绪，使用 webgpu');
  });
});

describe('URL state', () => {
  it('reads a share link and rejects what it cannot trust', () => {
    const s = readUrlState('?text=%E7%AC%91&template=noto&seed=42&v=3&backend=webgl&model=spine');
    expect(s).toMatchObject({ text: '笑', template: 'noto', seed: 42, variant: 3, backend: 'webgl', model: 'spine', test: false });
    const bad = readUrlState('?seed=-1&v=99&backend=opengl');
    expect(bad.seed).toBeUndefined();
    expect(bad.variant).toBe(0);
    expect(bad.backend).toBeUndefined();
    expect(readUrlState('?seed=99999999999').seed).toBeUndefined();
  });
});

describe('template search', () => {
  const templates = [
    { id: 'noto', style: 'noto', name: { zh: 'Noto 表情', en: 'Noto' }, thumbnailUrl: '' },
    { id: 'fluent-flat', style: 'fluent-flat', name: { zh: 'Fluent 扁平', en: 'Fluent Flat' }, thumbnailUrl: '' },
  ];
  it('matches id, style and either language, ignoring case', () => {
    expect(filterTemplates(templates, 'FLAT').map((t) => t.id)).toEqual(['fluent-flat']);
    expect(filterTemplates(templates, '扁平').map((t) => t.id)).toEqual(['fluent-flat']);
    expect(filterTemplates(templates, '  ')).toHaveLength(2);
    expect(filterTemplates(templates, 'zzz')).toHaveLength(0);
  });
});

describe('download file name', () => {
  it('is safe on every OS and says what the meme is', () => {
    expect(memeFilename('别说了 我脸红了', 7)).toBe('memeface-别说了-我脸红了-7.png');
    expect(memeFilename('a/b:c*?"<>|', 1)).toBe('memeface-a-b-c-1.png');
    expect(memeFilename('   ', 2)).toBe('memeface-meme-2.png');
  });
});
