import { buildFeedArrays, toRgba } from '../model/runtime/feeds';
import { runPipeline, type StageResult } from '../model/runtime/pipeline';
import type { AttentionMap, BackendName, GenerateRequest, GenerateResult, StageImage } from './api';
import { WorkerError } from './errors';
import { patternsFromUpload } from './images';
import type { ModelSession } from './session';

const MAX_SEEDS = 8;

/** One generation: text → tokens → text encoder → stages → RGBA images (+ attention, raw floats). */
export async function generateMemes(
  session: ModelSession,
  backend: BackendName,
  req: GenerateRequest,
  onStage: ((images: StageImage[]) => void) | undefined,
  isCancelled: () => boolean,
): Promise<GenerateResult> {
  const t0 = performance.now();
  if (!req.seeds.length || req.seeds.length > MAX_SEEDS) {
    throw new WorkerError('InvalidRequestError', `Ask for between 1 and ${MAX_SEEDS} variants.`);
  }
  const tok = session.tokenizer.tokenize(req.text);
  const patterns = req.customTemplate
    ? await patternsFromUpload(req.customTemplate.bytes, session.manifest.imageSizes)
    : await session.templatePatterns(req.templateId ?? session.manifest.templates[0].id);
  const pipeline = await session.pipeline(req.checkpoint);
  const feeds = buildFeedArrays(tok.ids, tok.mask, req.seeds, session.manifest.zDim, patterns);
  const stageImages = (r: StageResult): StageImage[] =>
    req.seeds.map((_, i) => ({ size: r.size, seedIndex: i, width: r.size, height: r.size, rgba: toRgba(r.image, i * r.size * r.size * 3, r.size) }));
  const result = await runPipeline(pipeline, feeds, (r) => onStage?.(stageImages(r)), isCancelled);
  const last = result.stages[result.stages.length - 1];
  if (!last) throw new WorkerError('CancelledError', `Request ${req.id} was cancelled.`);
  return {
    id: req.id,
    tokens: tok.tokens.map((t) => ({ text: t.text, source: t.source })),
    truncated: tok.truncated,
    backend,
    images: stageImages(last),
    timings: {
      textEncoderMs: result.textEncoderMs,
      stages: result.stages.map((s) => ({ size: s.size, ms: s.ms })),
      totalMs: performance.now() - t0,
    },
    attention: req.includeAttention ? attentionMaps(result.attention, tok.tokens.length) : undefined,
    raw: req.includeRaw ? last.image : undefined,
  };
}

/** attn_<size> [B, S*S, L] → per-token [S, S] maps of the first seed, scaled to [0, 1]. */
function attentionMaps(attn: Record<string, { data: Float32Array; shape: number[] }>, nTokens: number): AttentionMap[] {
  return Object.entries(attn).map(([name, { data, shape }]) => {
    const size = Number(name.slice('attn_'.length));
    const [, regions, l] = shape;
    const maps: Float32Array[] = [];
    for (let w = 0; w < Math.min(nTokens, l); w++) {
      const m = new Float32Array(regions);
      let max = 1e-8;
      for (let r = 0; r < regions; r++) max = Math.max(max, (m[r] = data[r * l + w]));
      for (let r = 0; r < regions; r++) m[r] /= max;
      maps.push(m);
    }
    return { size, maps };
  });
}
