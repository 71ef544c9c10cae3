import { buildFeedArrays, toRgba } from '../../model/runtime/feeds';
import { runPipeline, type PipelineResult } from '../../model/runtime/pipeline';
import { tokenize, type Tokenized } from '../../model/text/tokenizer';
import { drawCaption } from '../render/caption';
import { encodePng } from '../io/png';
import { loadNodePipeline, openNodeModel, templatePatterns } from '../export/node-model';
import sharp from 'sharp';

export interface GenerateOptions {
  manifestPath: string;
  text: string;
  templateId?: string;
  seed: number;
  variants: number;
  checkpoint?: number;
  caption: boolean;
}

export interface GenerateOutput {
  tokens: Tokenized;
  templateId: string;
  size: number;
  /** One 256 px PNG per variant (seed, seed+1, …), caption drawn when asked. */
  pngs: Buffer[];
  result: PipelineResult;
}

/** The browser's path in Node: exported graph models, the same tokenizer and post-processing. */
export async function generateMemes(o: GenerateOptions): Promise<GenerateOutput> {
  const model = openNodeModel(o.manifestPath);
  const m = model.manifest;
  const templateId = o.templateId ?? m.templates[0].id;
  const tokens = tokenize(o.text, model.segment, model.vocab, m.tokenizer.settings);
  const patterns = templatePatterns(model, templateId);
  const seeds = Array.from({ length: o.variants }, (_, i) => o.seed + i);
  const feeds = buildFeedArrays(tokens.ids, tokens.mask, seeds, m.zDim, patterns);
  const result = await runPipeline(await loadNodePipeline(model, o.checkpoint), feeds);
  const last = result.stages[result.stages.length - 1];
  const pngs: Buffer[] = [];
  for (let i = 0; i < seeds.length; i++) {
    const rgba = toRgba(last.image, i * last.size * last.size * 3, last.size);
    // Small stages are upscaled to the 256 px meme the app shows.
    const png = await sharp(encodePng(new Uint8Array(rgba.buffer), last.size, last.size)).resize(256, 256, { kernel: 'nearest' }).png().toBuffer();
    pngs.push(o.caption ? await drawCaption(png, 256, o.text.normalize('NFKC').trim()) : png);
  }
  return { tokens, templateId, size: last.size, pngs, result };
}

/** Variants side by side in one PNG. */
export async function sideBySide(pngs: Buffer[], size = 256): Promise<Buffer> {
  if (pngs.length === 1) return pngs[0];
  return sharp({ create: { width: size * pngs.length, height: size, channels: 4, background: '#ffffff' } })
    .composite(pngs.map((input, i) => ({ input, left: i * size, top: 0 })))
    .png()
    .toBuffer();
}
