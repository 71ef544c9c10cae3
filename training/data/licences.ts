// Licences and attributions the app shows (public/licenses/): which artwork and text sources the
// corpus (and so every generated face) derives from, with the notices their licences require.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVersion } from './sources/images.js';
import { STYLES } from './sources/styles.js';

const require = createRequire(import.meta.url);
const VENDOR = fileURLToPath(new URL('./vendor/', import.meta.url));

export interface LicenceEntry {
  id: string;
  name: string;
  kind: 'artwork' | 'captions';
  npmPackage: string;
  version: string;
  licence: string;
  copyright: string;
  homepage: string;
  attribution: string;
  /** File under public/licenses/ with the licence text, or the licence URL. */
  licenceText: string;
}

const LICENCE_FILES: Record<string, string> = {
  'Apache-2.0': 'Apache-2.0.txt',
  MIT: 'MIT-Microsoft-Fluent-Emoji.txt',
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/legalcode',
  'CC-BY-SA-4.0': 'CC-BY-SA-4.0.txt',
};

function captionSources(): LicenceEntry[] {
  return [
    {
      id: 'cldr', name: 'Unicode CLDR annotations (zh, en)', kind: 'captions', npmPackage: 'cldr-annotations-full',
      version: packageVersion('cldr-annotations-full'), licence: 'Unicode-3.0', copyright: '© 1991-2025 Unicode, Inc.',
      homepage: 'https://cldr.unicode.org', attribution: 'Emoji names and keywords from Unicode CLDR, Unicode License v3.', licenceText: 'Unicode-CLDR-LICENSE.txt',
    },
    {
      id: 'emojibase', name: 'Emojibase data (zh)', kind: 'captions', npmPackage: 'emojibase-data',
      version: packageVersion('emojibase-data'), licence: 'MIT', copyright: '© Miles Johnson',
      homepage: 'https://emojibase.dev', attribution: 'Emoji list and zh labels from Emojibase, MIT License.', licenceText: 'emojibase-LICENSE.txt',
    },
    {
      id: 'rime-emoji', name: 'rime-emoji phrase table', kind: 'captions', npmPackage: '(vendored from Debian rime-data-emoji 0.0~git20230219.68dc116-1)',
      version: '0.0~git20230219.68dc116', licence: 'LGPL-3.0', copyright: '雪齋 <leoyoontsaw@gmail.com>, Kunki Chou, GONG Chen',
      homepage: 'https://github.com/rime/rime-emoji', attribution: 'Colloquial captions from rime-emoji (雪齋, Kunki Chou, GONG Chen), LGPL-3.0, converted to Simplified Chinese.', licenceText: 'LGPL-3.0.txt',
    },
  ];
}

export function licenceEntries(): LicenceEntry[] {
  const artwork = STYLES.map((s) => ({
    id: s.id, name: s.name, kind: 'artwork' as const, npmPackage: s.npmPackage, version: packageVersion(s.npmPackage),
    licence: s.licence, copyright: s.copyright, homepage: s.homepage, attribution: s.attribution, licenceText: LICENCE_FILES[s.licence],
  }));
  return [...artwork, ...captionSources()];
}

function renderMarkdown(entries: readonly LicenceEntry[]): string {
  const lines = [
    '# Emoji artwork and caption sources', '',
    'MemeFace was trained on face emoji from the sets below, captioned with the text sources below.',
    'Generated faces are adaptations of this artwork: those derived from CC BY-SA sets (OpenMoji, EmojiOne 1) are shared under CC BY-SA 4.0.',
    'Apple, Facebook, JoyPixels/EmojiOne 4 and WeChat emoji are not used.', '',
    '| source | package | version | licence | attribution |', '|---|---|---|---|---|',
    ...entries.map((e) => `| ${e.name} | ${e.npmPackage} | ${e.version} | ${e.licence} | ${e.attribution} |`),
    '', 'Licence texts: Apache-2.0.txt, MIT-Microsoft-Fluent-Emoji.txt, CC-BY-SA-4.0.txt, Unicode-CLDR-LICENSE.txt, emojibase-LICENSE.txt, LGPL-3.0.txt and GPL-3.0.txt in this folder; CC BY 4.0: https://creativecommons.org/licenses/by/4.0/legalcode.', '',
  ];
  return lines.join('\n');
}

/** Writes emoji.json, emoji.md and the licence texts into `dir` (deterministic). */
export function writeLicences(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const entries = licenceEntries();
  writeFileSync(join(dir, 'emoji.json'), `${JSON.stringify({ sources: entries }, null, 2)}\n`);
  writeFileSync(join(dir, 'emoji.md'), renderMarkdown(entries));
  const copies: [string, string][] = [
    [join(VENDOR, 'licenses/Apache-2.0.txt'), 'Apache-2.0.txt'],
    [join(VENDOR, 'licenses/CC-BY-SA-4.0.txt'), 'CC-BY-SA-4.0.txt'],
    [join(VENDOR, 'licenses/MIT-Microsoft-Fluent-Emoji.txt'), 'MIT-Microsoft-Fluent-Emoji.txt'],
    [join(VENDOR, 'rime-emoji/LICENSE-LGPL-3'), 'LGPL-3.0.txt'],
    [join(VENDOR, 'rime-emoji/LICENSE-GPL-3'), 'GPL-3.0.txt'],
    [join(dirname(require.resolve('cldr-annotations-full/package.json')), 'LICENSE'), 'Unicode-CLDR-LICENSE.txt'],
    [join(dirname(require.resolve('emojibase-data/package.json')), 'LICENSE'), 'emojibase-LICENSE.txt'],
  ];
  for (const [from, to] of copies) copyFileSync(from, join(dir, to));
}
