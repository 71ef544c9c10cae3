import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import sharp, { type OverlayOptions } from 'sharp';
import { CAPTION_FONT_FAMILY, chunkAsTrueType, chunkFor } from './font';

interface PlacedChar {
  ch: string;
  x: number;
}

const isWide = (ch: string) => ch.codePointAt(0)! >= 0x2e80;

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Centres the caption on one line; CJK glyphs are one em wide, others about half. */
function layout(caption: string, size: number): { chars: PlacedChar[]; fontSize: number; y: number } {
  const chars = Array.from(caption);
  const ems = chars.reduce((n, ch) => n + (isWide(ch) ? 1 : 0.55), 0);
  const fontSize = Math.max(10, Math.min(Math.round(size / 7), Math.floor((size * 0.94) / Math.max(1, ems))));
  let x = size / 2 - (ems * fontSize) / 2;
  const placed = chars.map((ch) => {
    const w = (isWide(ch) ? 1 : 0.55) * fontSize;
    const p = { ch, x: x + w / 2 };
    x += w;
    return p;
  });
  return { chars: placed, fontSize, y: size - Math.round(fontSize * 0.4) };
}

function layerSvg(chars: PlacedChar[], size: number, fontSize: number, y: number): string {
  const stroke = Math.max(2, fontSize / 7);
  const text = (attrs: string) =>
    chars.map((c) => `<text x="${c.x}" y="${y}" font-family="${CAPTION_FONT_FAMILY}" font-size="${fontSize}" text-anchor="middle" ${attrs}>${escapeXml(c.ch)}</text>`).join('');
  // Two passes (outline, then fill) because resvg ignores paint-order.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">${text(`fill="#fff" stroke="#fff" stroke-width="${stroke}" stroke-linejoin="round"`)}${text('fill="#111"')}</svg>`;
}

/**
 * Draws the caption over the bottom of a square meme with the bundled CJK font.
 * fontsource ships the font as many unicode-range chunks with one family name, and resvg picks a
 * single face per family, so each chunk's characters are drawn in their own layer.
 */
export async function drawCaption(memePng: Buffer, size: number, caption: string): Promise<Buffer> {
  const { chars, fontSize, y } = layout(caption, size);
  const groups = new Map<string, PlacedChar[]>();
  for (const c of chars) {
    if (!c.ch.trim()) continue;
    const key = chunkFor(c.ch) ?? 'system';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const dir = mkdtempSync(join(tmpdir(), 'memeface-font-'));
  try {
    const layers: OverlayOptions[] = [];
    let i = 0;
    for (const [chunk, group] of groups) {
      const fontFiles: string[] = [];
      if (chunk !== 'system') {
        const p = join(dir, `chunk${i++}.ttf`);
        writeFileSync(p, await chunkAsTrueType(chunk));
        fontFiles.push(p);
      }
      const resvg = new Resvg(layerSvg(group, size, fontSize, y), {
        font: { fontFiles, loadSystemFonts: chunk === 'system', defaultFontFamily: CAPTION_FONT_FAMILY },
      });
      layers.push({ input: Buffer.from(resvg.render().asPng()), top: 0, left: 0 });
    }
    return await sharp(memePng).resize(size, size).composite(layers).png().toBuffer();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
