import { noiseForSeed } from '../../model/rng';
import type { FeedArrays } from '../../model/runtime/feeds';
import { runPipeline, type LoadedPipeline } from '../../model/runtime/pipeline';
import { tokenize, type Tokenized } from '../../model/text/tokenizer';
import { loadNodePipeline, templatePatterns, type NodeModel } from '../export/node-model';
import type { LoadedCorpus } from '../data/corpus';
import { toFeatureSize, type SquareImage } from './image-features';
import type { RealImages } from './real-images';
import { TfIdfIndex } from './text-features';
import type { EvalPair, TemplateMatch } from './eval-set';

/** One image request: a text and a template of the model's manifest, with a noise seed. */
export interface ImageRequest {
  text: string;
  templateId: string;
  seed: number;
  /** The held-out test record the text came from, when it did (retrieval excludes nothing by it). */
  pair?: EvalPair;
}

/** Anything that turns requests into images: the model, a checkpoint, or a baseline. */
export interface ImageSystem {
  id: string;
  label: string;
  /** False when different seeds can give different images. */
  deterministic: boolean;
  /** Images at the system's own size. [S, S, 3] in [-1, 1] each */
  generate(requests: readonly ImageRequest[]): Promise<SquareImage[]>;
  dispose?(): void;
}

const BATCH = 16;

/**
 * The exported model through the browser's own pipeline (model/runtime), batching rows with
 * different texts and templates: each row gets its own token ids, noise and pattern.
 */
export async function modelSystem(model: NodeModel, id: string, label: string, checkpoint?: number, stage: number | null = null): Promise<ImageSystem> {
  const pipeline = await loadNodePipeline(model, checkpoint);
  const patterns = new Map<string, Record<number, Float32Array>>();
  const tokens = new Map<string, Tokenized>();
  const patternOf = (t: string) => patterns.get(t) ?? patterns.set(t, templatePatterns(model, t)).get(t)!;
  const tokensOf = (text: string) => tokens.get(text) ?? tokens.set(text, tokenize(text, model.segment, model.vocab, model.manifest.tokenizer.settings)).get(text)!;
  return {
    id,
    label,
    deterministic: false,
    async generate(requests) {
      const out: SquareImage[] = [];
      for (let at = 0; at < requests.length; at += BATCH) {
        const rows = requests.slice(at, at + BATCH).map((r) => ({ tokens: tokensOf(r.text), patterns: patternOf(r.templateId), seed: r.seed }));
        out.push(...(await runRows(pipeline, rows, model.manifest.zDim, stage)));
      }
      return out;
    },
    dispose() {
      pipeline.textEncoder.dispose();
      for (const s of pipeline.stages) s.model.dispose();
    },
  };
}

interface Row {
  tokens: Tokenized;
  patterns: Record<number, Float32Array>;
  seed: number;
}

/** The images of stage `stage` (null: the last stage's, what users see). */
async function runRows(pipeline: LoadedPipeline, rows: readonly Row[], zDim: number, stage: number | null): Promise<SquareImage[]> {
  const result = await runPipeline(pipeline, rowFeeds(rows, zDim));
  const last = result.stages[stage ?? result.stages.length - 1];
  const n = last.size * last.size * 3;
  return rows.map((_, i) => ({ size: last.size, data: last.image.slice(i * n, (i + 1) * n) }));
}

/** FeedArrays with per-row text, noise and template (buildFeedArrays shares text and template). */
export function rowFeeds(rows: readonly Row[], zDim: number): FeedArrays {
  const l = rows[0].tokens.ids.length;
  const b = rows.length;
  const tokenIds = new Int32Array(b * l);
  const tokenMask = new Float32Array(b * l);
  const noise = new Float32Array(b * zDim);
  const templates: Record<number, Float32Array> = {};
  rows.forEach((r, i) => {
    tokenIds.set(r.tokens.ids, i * l);
    tokenMask.set(r.tokens.mask, i * l);
    noise.set(noiseForSeed(r.seed, zDim), i * zDim);
    for (const [size, p] of Object.entries(r.patterns)) {
      const s = Number(size);
      templates[s] ??= new Float32Array(b * p.length);
      templates[s].set(p, i * p.length);
    }
  });
  return { tokenIds, tokenMask, noise, templates, batch: b, maxTokens: l, zDim };
}

/** Baseline: the template's pattern P itself, whatever the text (what an unedited template shows). */
export function templateOnlySystem(model: NodeModel): ImageSystem {
  const cache = new Map<string, SquareImage>();
  const pattern = (id: string) => {
    if (!cache.has(id)) {
      const all = templatePatterns(model, id);
      const size = Math.max(...Object.keys(all).map(Number));
      cache.set(id, { size, data: all[size] });
    }
    return cache.get(id)!;
  };
  return { id: 'template-only', label: 'template only (pattern P)', deterministic: true, generate: async (reqs) => reqs.map((r) => pattern(r.templateId)) };
}

/**
 * Baseline: a meme search engine. Returns the training image whose captions are closest to the
 * text (TF-IDF over character n-grams, best caption per image), within the requested template
 * when the corpus has it; training images only, so a held-out test image is never returned.
 */
export function retrievalSystem(corpus: LoadedCorpus, real: RealImages, matches: readonly TemplateMatch[]): ImageSystem {
  const train = corpus.records.filter((r) => r.split === 'train' && r.zh.length);
  const index = new TfIdfIndex(train.flatMap((r) => r.zh.map((c) => c.text)));
  const vectors = train.map((r) => r.zh.map((c) => index.vector(c.text)));
  const corpusTemplate = new Map(matches.map((m) => [m.manifestId, m.corpusId]));
  return {
    id: 'retrieval',
    label: 'retrieval (closest training captions, same template)',
    deterministic: true,
    async generate(reqs) {
      return reqs.map((r) => {
        const query = index.vector(r.text);
        const template = corpusTemplate.get(r.templateId) ?? null;
        const candidates = train.map((rec, i) => ({ rec, i })).filter(({ rec }) => template === null || rec.template === template);
        const pool = candidates.length ? candidates : train.map((rec, i) => ({ rec, i }));
        let best = pool[0];
        let bestScore = -1;
        for (const c of pool) {
          const s = Math.max(...vectors[c.i].map((v) => TfIdfIndex.cosine(query, v)));
          if (s > bestScore) [best, bestScore] = [c, s];
        }
        return real.sharpImage(best.rec.id);
      });
    },
  };
}

/** Real held-out test images: the ceiling for R-precision and the classifiers' sanity check. */
export function realTestSystem(real: RealImages, split: 'test' | 'train' = 'test'): ImageSystem {
  return {
    id: 'real-test',
    label: `real ${split === 'test' ? 'test' : 'training'} images (ceiling)`,
    deterministic: true,
    generate: async (reqs) => reqs.map((r) => real.sharpImage(r.pair!.record.id)),
  };
}

export const at64 = (images: readonly SquareImage[]): SquareImage[] => images.map(toFeatureSize);
