import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fontverter from 'fontverter';

const require = createRequire(import.meta.url);

/** The caption font: ZCOOL KuaiLe (SIL OFL 1.1), from the pinned @fontsource package. */
export const CAPTION_FONT_FAMILY = 'ZCOOL KuaiLe';
const FONT_CSS = '@fontsource/zcool-kuaile/400.css';

interface FontChunk {
  file: string;
  ranges: [number, number][];
}

let chunksCache: FontChunk[] | undefined;

/** fontsource splits CJK fonts into unicode-range chunks; read which chunk holds which code points. */
function fontChunks(): FontChunk[] {
  if (chunksCache) return chunksCache;
  const cssPath = require.resolve(FONT_CSS);
  const css = readFileSync(cssPath, 'utf8');
  chunksCache = [];
  for (const block of css.split('@font-face').slice(1)) {
    const file = /url\(\.\/(files\/[^)]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!file || !range) continue;
    const ranges = range.split(',').map((r) => {
      const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
      return [parseInt(a, 16), parseInt(b ?? a, 16)] as [number, number];
    });
    chunksCache.push({ file: join(dirname(cssPath), file), ranges });
  }
  return chunksCache;
}

/** The woff2 chunk holding `ch`, or undefined when the font lacks it (system fonts then). */
export function chunkFor(ch: string): string | undefined {
  const cp = ch.codePointAt(0)!;
  return fontChunks().find((c) => c.ranges.some(([a, b]) => cp >= a && cp <= b))?.file;
}

/** A chunk as TrueType, which resvg reads (it does not read WOFF2). */
export async function chunkAsTrueType(file: string): Promise<Buffer> {
  return Buffer.from(await fontverter.convert(readFileSync(file), 'truetype'));
}
