import sharp from 'sharp';
import type { PipelineResult } from '../../model/runtime/pipeline';
import type { Token } from '../../model/text/tokenizer';
import { drawCaption } from '../render/caption';

export class NoAttentionError extends Error {
  override name = 'NoAttentionError';
}

/** One tile per (stage, word): the first variant's image tinted by that word's attention map. */
export async function attentionSheet(result: PipelineResult, tokens: Token[]): Promise<Buffer> {
  const maps = Object.entries(result.attention);
  if (!maps.length) throw new NoAttentionError('This model has no attention outputs (the spine\'s tiny model has none). Use a MemeFaceGenerator model.');
  const tile = 128;
  const rows: Buffer[][] = [];
  for (const [name, { data, shape }] of maps) {
    const size = Number(name.slice('attn_'.length));
    const [, regions, l] = shape;
    const side = Math.round(Math.sqrt(regions));
    const row: Buffer[] = [];
    for (let w = 0; w < Math.min(tokens.length, l); w++) {
      let max = 1e-8;
      for (let r = 0; r < regions; r++) max = Math.max(max, data[r * l + w]);
      const heat = Buffer.alloc(regions * 3);
      for (let r = 0; r < regions; r++) {
        const v = data[r * l + w] / max;
        heat[r * 3] = Math.round(255 * v);
        heat[r * 3 + 1] = Math.round(80 * v);
        heat[r * 3 + 2] = Math.round(255 * (1 - v));
      }
      const png = await sharp(heat, { raw: { width: side, height: side, channels: 3 } }).resize(tile, tile, { kernel: 'nearest' }).png().toBuffer();
      row.push(await drawCaption(png, tile, `${tokens[w].text} @${size}`));
    }
    rows.push(row);
  }
  const width = tile * Math.max(...rows.map((r) => r.length));
  return sharp({ create: { width, height: tile * rows.length, channels: 4, background: '#ffffff' } })
    .composite(rows.flatMap((row, y) => row.map((input, x) => ({ input, left: x * tile, top: y * tile }))))
    .png()
    .toBuffer();
}
