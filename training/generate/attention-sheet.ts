import sharp from 'sharp';
import type { PipelineResult } from '../../model/runtime/pipeline';
import { toRgba } from '../../model/runtime/feeds';
import type { Token } from '../../model/text/tokenizer';
import { drawCaption } from '../render/caption';

export class NoAttentionError extends Error {
  override name = 'NoAttentionError';
}

const TILE = 128;

/** Word `w`'s attention over the S×S regions, min–max scaled to [0, 1] (softmax maps are flat-ish). */
function wordMap(data: Float32Array, regions: number, l: number, w: number): Float32Array {
  const m = new Float32Array(regions);
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < regions; r++) {
    m[r] = data[r * l + w];
    lo = Math.min(lo, m[r]);
    hi = Math.max(hi, m[r]);
  }
  for (let r = 0; r < regions; r++) m[r] = hi > lo ? (m[r] - lo) / (hi - lo) : 0;
  return m;
}

/** The stage image (first variant) with a red overlay where the word attends. */
async function overlayTile(image: Uint8ClampedArray, imageSize: number, map: Float32Array, side: number): Promise<Buffer> {
  const heat = Buffer.alloc(side * side * 4);
  for (let r = 0; r < side * side; r++) {
    heat[r * 4] = 255;
    heat[r * 4 + 3] = Math.round(200 * map[r]);
  }
  const overlay = await sharp(heat, { raw: { width: side, height: side, channels: 4 } }).resize(TILE, TILE, { kernel: 'nearest' }).png().toBuffer();
  return sharp(Buffer.from(image.buffer), { raw: { width: imageSize, height: imageSize, channels: 4 } })
    .resize(TILE, TILE, { kernel: 'nearest' })
    .composite([{ input: overlay }])
    .png()
    .toBuffer();
}

/** One row per attention stage, one tile per word: AttnGAN's per-word attention sheet. */
export async function attentionSheet(result: PipelineResult, tokens: Token[]): Promise<Buffer> {
  const maps = Object.entries(result.attention);
  if (!maps.length) throw new NoAttentionError("This model has no attention outputs (the spine's tiny model has none). Use a MemeFaceGenerator model.");
  const rows: Buffer[][] = [];
  for (const [name, { data, shape }] of maps) {
    const size = Number(name.slice('attn_'.length));
    const stage = result.stages.find((s) => s.size === size) ?? result.stages[result.stages.length - 1];
    const image = toRgba(stage.image, 0, stage.size);
    const [, regions, l] = shape;
    const side = Math.round(Math.sqrt(regions));
    const row: Buffer[] = [];
    for (let w = 0; w < Math.min(tokens.length, l); w++) {
      const tile = await overlayTile(image, stage.size, wordMap(data, regions, l, w), side);
      row.push(await drawCaption(tile, TILE, `${tokens[w].text} @${size}`));
    }
    rows.push(row);
  }
  const width = TILE * Math.max(...rows.map((r) => r.length));
  return sharp({ create: { width, height: TILE * rows.length, channels: 4, background: '#ffffff' } })
    .composite(rows.flatMap((row, y) => row.map((input, x) => ({ input, left: x * TILE, top: y * TILE }))))
    .png()
    .toBuffer();
}
