import sharp, { type OverlayOptions } from 'sharp';
import { encodePng, floatToRgba } from '../io/png';
import { drawCaption } from '../render/caption';
import type { SquareImage } from './image-features';

/** A grid row: a text label (drawn with the bundled CJK font) and its image cells. */
export interface GridRow {
  label: string;
  cells: (SquareImage | null)[];
}

/** One cell as PNG at `cell` px (nearest-neighbour, so small stages stay crisp). */
async function cellPng(img: SquareImage, cell: number): Promise<Buffer> {
  return sharp(encodePng(floatToRgba(img.data, img.size, img.size), img.size, img.size)).resize(cell, cell, { kernel: 'nearest' }).png().toBuffer();
}

/** The label, two cells wide: drawCaption on a white square, keeping its bottom half. */
async function labelPng(text: string, cell: number): Promise<Buffer> {
  const side = cell * 2;
  const white = await sharp({ create: { width: side, height: side, channels: 3, background: '#ffffff' } }).png().toBuffer();
  const drawn = await drawCaption(white, side, text);
  return sharp(drawn).extract({ left: 0, top: cell, width: side, height: cell }).png().toBuffer();
}

/** Rows of [label | cells…], optionally under a header row of labels; PNG on white. */
export async function gridPng(rows: readonly GridRow[], cell: number, header?: string[]): Promise<Buffer> {
  const columns = Math.max(...rows.map((r) => r.cells.length));
  const top = header ? cell / 2 : 0;
  const layers: OverlayOptions[] = [];
  if (header) {
    for (let c = 0; c < header.length; c++) {
      const label = await labelPng(header[c], cell / 2);
      layers.push({ input: label, left: cell * 2 + c * cell, top: 0 });
    }
  }
  for (let r = 0; r < rows.length; r++) {
    layers.push({ input: await labelPng(rows[r].label, cell), left: 0, top: top + r * cell });
    for (let c = 0; c < rows[r].cells.length; c++) {
      const img = rows[r].cells[c];
      if (img) layers.push({ input: await cellPng(img, cell), left: cell * 2 + c * cell, top: top + r * cell });
    }
  }
  return sharp({ create: { width: cell * (2 + columns), height: top + cell * rows.length, channels: 3, background: '#ffffff' } })
    .composite(layers)
    .png({ compressionLevel: 9, palette: true, quality: 70, dither: 0 }) // small enough to commit
    .toBuffer();
}
