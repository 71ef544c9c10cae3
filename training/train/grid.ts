/**
 * The fixed sample grid rendered at every GAN checkpoint (EMA weights):
 * one row per caption; per template a block of [template P | one cell per seed].
 * A sidecar .json names the rows and columns.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodePng } from '../io/png';
import type { MemeFaceTrainer } from './trainer';

const GAP = 4;

/** Area-average downscale of [S, S, 3] floats at `offset` to `cell` px (S a multiple of cell), or nearest upscale. */
function cellPixels(data: ArrayLike<number>, offset: number, s: number, cell: number): Float32Array {
  const out = new Float32Array(cell * cell * 3);
  if (s >= cell) {
    const f = s / cell;
    for (let y = 0; y < cell; y++) for (let x = 0; x < cell; x++) for (let c = 0; c < 3; c++) {
      let acc = 0;
      for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) acc += data[offset + ((y * f + dy) * s + x * f + dx) * 3 + c];
      out[(y * cell + x) * 3 + c] = acc / (f * f);
    }
  } else {
    for (let y = 0; y < cell; y++) for (let x = 0; x < cell; x++) for (let c = 0; c < 3; c++) {
      out[(y * cell + x) * 3 + c] = data[offset + (Math.floor((y * s) / cell) * s + Math.floor((x * s) / cell)) * 3 + c];
    }
  }
  return out;
}

export async function renderGrid(trainer: MemeFaceTrainer, pngPath: string): Promise<void> {
  const g = trainer.cfg.grid;
  const templates = trainer.data.templates.map((t) => t.id).filter((id) => trainer.data.pairs.some((p) => p.template === id)).slice(0, g.templates);
  const seeds = g.seeds;
  const cell = g.cell;
  const cols = templates.length * (1 + seeds.length);
  const rows = g.captions.length;
  const width = cols * cell + (templates.length - 1) * GAP * 2 + (cols - 1) * GAP;
  const height = rows * cell + (rows - 1) * GAP;
  const rgba = new Uint8Array(width * height * 4).fill(255);
  const colX = (c: number) => c * (cell + GAP) + Math.floor(c / (1 + seeds.length)) * GAP * 2;
  const put = (px: Float32Array, cx: number, cy: number) => {
    for (let y = 0; y < cell; y++) for (let x = 0; x < cell; x++) {
      const o = ((cy + y) * width + cx + x) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.max(0, Math.min(255, Math.round((px[(y * cell + x) * 3 + c] + 1) * 127.5)));
      rgba[o + 3] = 255;
    }
  };
  const rowInfo: { caption: string; tokens: string[] }[] = [];
  const samples: { data: Float32Array; size: number }[] = [];
  for (const [r, caption] of g.captions.entries()) {
    const out = await trainer.sample(caption, templates, seeds);
    samples.push(out);
    rowInfo.push({ caption, tokens: out.tokens });
    const n = out.size * out.size * 3;
    templates.forEach((t, ti) => {
      const s = out.size;
      put(cellPixels(trainer.data.pattern(t, s), 0, s, cell), colX(ti * (1 + seeds.length)), r * (cell + GAP));
      seeds.forEach((_, si) => put(cellPixels(out.data, (ti * seeds.length + si) * n, s, cell), colX(ti * (1 + seeds.length) + 1 + si), r * (cell + GAP)));
    });
  }
  mkdirSync(dirname(pngPath), { recursive: true });
  writeFileSync(pngPath, encodePng(rgba, width, height));
  // How much the template is kept (mean |x̄ − P|), and how much the output varies with the caption
  // (mean |x̄(caption a) − x̄(caption b)| at the same template and seed) or with the seed alone.
  const size = samples[0].size;
  const n = size * size * 3;
  const diff = (a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += Math.abs(a[ao + i] - b[bo + i]);
    return acc / n;
  };
  const cells = templates.length * seeds.length;
  let keep = 0;
  let spread = 0;
  let spreadPairs = 0;
  let seedSpread = 0;
  let seedPairs = 0;
  for (let c = 0; c < cells; c++) {
    const pattern = trainer.data.pattern(templates[Math.floor(c / seeds.length)], size);
    samples.forEach((s, a) => {
      keep += diff(s.data, c * n, pattern, 0) / (cells * samples.length);
      for (let b = a + 1; b < samples.length; b++) {
        spread += diff(s.data, c * n, samples[b].data, c * n);
        spreadPairs++;
      }
      if (c % seeds.length === 0) for (let k = 1; k < seeds.length; k++) {
        seedSpread += diff(s.data, c * n, s.data, (c + k) * n);
        seedPairs++;
      }
    });
  }
  const stats = {
    templateL1: keep,
    captionSpreadL1: spreadPairs ? spread / spreadPairs : 0,
    seedSpreadL1: seedPairs ? seedSpread / seedPairs : 0,
  };
  const layout = {
    stats,
    rows: rowInfo,
    columns: templates.flatMap((t) => [`${t}: template P`, ...seeds.map((s) => `${t}: seed ${s}`)]),
    cell,
    note: 'rows = captions; per template: the template pattern, then one EMA-generator sample per seed',
  };
  writeFileSync(pngPath.replace(/\.png$/, '.json'), JSON.stringify(layout, null, 1));
}
