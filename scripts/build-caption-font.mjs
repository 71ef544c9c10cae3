// Builds the caption font: ZCOOL KuaiLe (OFL-1.1, @fontsource/zcool-kuaile) cut down to the
// ~3,500 most common simplified Chinese characters, ASCII and CJK punctuation, so the caption
// renders the same on every system, offline, for ~1/3 of the full font's bytes.
//
//   node scripts/build-caption-font.mjs      (writes public/fonts/*.woff2 and OFL.txt)
//
// Where the character list comes from: Google Fonts slices CJK fonts into numbered subsets ordered
// by character frequency; fontsource ships that slicing in unicode.json. Slices [100]–[119] are the
// most frequent ~3,460 ideographs (的 and 一 live in [119]). We add every character of every
// model vocabulary under public/models/ so no trained word falls back to a system font.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import subsetFont from 'subset-font';

const PKG = 'node_modules/@fontsource/zcool-kuaile';
const OUT = 'public/fonts';
const FREQUENT_SLICES = Array.from({ length: 20 }, (_, i) => `[${100 + i}]`);

function codePoints(range) {
  const out = [];
  for (const part of range.split(',')) {
    const [a, b] = part.trim().replace(/^U\+/i, '').split('-').map((h) => parseInt(h, 16));
    for (let c = a; c <= (b ?? a); c++) out.push(c);
  }
  return out;
}

const unicode = JSON.parse(readFileSync(join(PKG, 'unicode.json'), 'utf8'));
const chars = new Set();
for (const slice of FREQUENT_SLICES) for (const c of codePoints(unicode[slice])) chars.add(c);
for (let c = 0x20; c < 0x7f; c++) chars.add(c); // ASCII
for (let c = 0x3000; c <= 0x303f; c++) chars.add(c); // CJK punctuation
for (let c = 0xff01; c <= 0xff5e; c++) chars.add(c); // fullwidth forms
for (const c of '“”‘’…—·～') chars.add(c.codePointAt(0));
for (const model of existsSync('public/models') ? readdirSync('public/models') : []) {
  const manifest = join('public/models', model, 'manifest.json');
  if (!existsSync(manifest)) continue;
  const { tokenizer } = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const w of [...tokenizer.vocab, ...tokenizer.userDictionary]) for (const ch of w) chars.add(ch.codePointAt(0));
}
const sorted = [...chars].sort((a, b) => a - b);
const text = String.fromCodePoint(...sorted);
const ideographs = sorted.filter((c) => c >= 0x4e00 && c <= 0x9fff).length;

mkdirSync(OUT, { recursive: true });
const cjk = await subsetFont(readFileSync(join(PKG, 'files/zcool-kuaile-chinese-simplified-400-normal.woff2')), text, { targetFormat: 'woff2' });
const latin = await subsetFont(readFileSync(join(PKG, 'files/zcool-kuaile-latin-400-normal.woff2')), text, { targetFormat: 'woff2' });
writeFileSync(join(OUT, 'zcool-kuaile-common.woff2'), cjk);
writeFileSync(join(OUT, 'zcool-kuaile-latin.woff2'), latin);
copyFileSync(join(PKG, 'LICENSE'), join(OUT, 'OFL.txt'));
console.log(`caption font: ${sorted.length} characters (${ideographs} ideographs); ${cjk.length} + ${latin.length} bytes in ${OUT}`);
