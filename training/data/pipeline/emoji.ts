// `npm run data`: the emoji corpus from the pinned npm packages and the vendored rime phrases.
import type { DataConfig } from '../config.js';
import { FixDataConfigError } from '../errors.js';
import { captionsForFaces } from '../captions/sources.js';
import { listFaces, type Face } from '../faces.js';
import { imageFeatures } from '../images/features.js';
import { rasterise } from '../images/raster.js';
import { drawingsForStyle, packageVersion, type FaceDrawing } from '../sources/images.js';
import { STYLES, type StyleSpec } from '../sources/styles.js';
import { runCaptionSteps } from './captionSteps.js';
import { clusterItems } from './clustering.js';
import { assembleManifest, writeCorpus } from './finish.js';
import { mapWithConcurrency } from './pool.js';
import type { BuildReport, PipelineItem, SkippedFile, StepCount } from './types.js';
import type { CorpusManifest } from '../corpus.js';

const NEUTRAL_FACE = '1F610';

export function selectStyles(selection: DataConfig['styles']): readonly StyleSpec[] {
  if (selection === 'all') return STYLES;
  const unknown = selection.filter((id) => !STYLES.some((s) => s.id === id));
  if (unknown.length) throw new FixDataConfigError(`Unknown style id(s) ${unknown.join(', ')}; known: ${STYLES.map((s) => s.id).join(', ')}.`);
  return STYLES.filter((s) => selection.includes(s.id));
}

function templateOf(style: StyleSpec, face: Face, catCount: number, config: DataConfig): { id: string; kind: 'face' | 'cat' } {
  return face.kind === 'cat' && catCount >= config.catTemplateMinFaces ? { id: `${style.id}-cat`, kind: 'cat' } : { id: style.id, kind: 'face' };
}

interface Job { style: StyleSpec; drawing: FaceDrawing; version: string; catCount: number }

function collectJobs(config: DataConfig): Job[] {
  const faces = listFaces();
  return selectStyles(config.styles).flatMap((style) => {
    let drawings = drawingsForStyle(style, faces);
    if (config.maxFacesPerStyle !== null) drawings = drawings.slice(0, config.maxFacesPerStyle);
    const catCount = drawings.filter((d) => d.face.kind === 'cat').length;
    const version = packageVersion(style.npmPackage);
    return drawings.map((drawing) => ({ style, drawing, version, catCount }));
  });
}

export interface BuildOutcome { manifest: CorpusManifest; report: BuildReport }

export async function buildEmojiCorpus(config: DataConfig, log: (line: string) => void = () => {}): Promise<BuildOutcome> {
  const started = performance.now();
  const jobs = collectJobs(config);
  const captions = captionsForFaces(listFaces(), config.captions.includeRime);
  log(`rasterising ${jobs.length} faces from ${new Set(jobs.map((j) => j.style.id)).size} styles…`);
  const skipped: SkippedFile[] = [];
  const rasterStarted = performance.now();
  const rendered = await mapWithConcurrency(jobs, config.concurrency, async ({ style, drawing, version, catCount }): Promise<PipelineItem | null> => {
    try {
      const raster = await rasterise(drawing.load(), drawing.format === 'svg' ? 'svg' : 'bitmap', config);
      const template = templateOf(style, drawing.face, catCount, config);
      const faceCaptions = captions.get(drawing.face.hexcode);
      return {
        id: `${style.id}-${drawing.face.hexcode}`,
        style: style.id,
        template: template.id,
        templateKind: template.kind,
        codepoint: drawing.face.hexcode,
        emoji: drawing.face.emoji,
        expression: drawing.face.hexcode,
        isNeutral: drawing.face.hexcode === NEUTRAL_FACE,
        source: { package: style.npmPackage, version, name: drawing.sourceName },
        pngBySize: raster.pngBySize,
        features: imageFeatures(raster.rgb, config.imageSize),
        zh: faceCaptions?.zh ?? [],
        en: faceCaptions?.en ?? [],
        zhName: faceCaptions?.zhName ?? '',
      };
    } catch (error) {
      skipped.push({ file: `${style.npmPackage}:${drawing.sourceName}`, reason: String(error) });
      return null;
    }
  });
  const items = rendered.filter((i): i is PipelineItem => i !== null);
  const rasterSeconds = (performance.now() - rasterStarted) / 1000;
  log(`rasterised ${items.length} images in ${rasterSeconds.toFixed(1)} s; clustering…`);
  const pairs = (list: readonly PipelineItem[]): number => list.reduce((s, i) => s + i.zh.length, 0);
  const steps: StepCount[] = [
    { step: '0. collected', imagesBefore: jobs.length, imagesAfter: items.length, pairsBefore: jobs.reduce((s, j) => s + (captions.get(j.drawing.face.hexcode)?.zh.length ?? 0), 0), pairsAfter: pairs(items), note: 'face drawings found × raw zh captions (CLDR, emojibase, rime)' },
  ];
  const clustering = clusterItems(items, config.clustering, config.seed, true);
  steps.push({ step: '1. k-means outliers', imagesBefore: items.length, imagesAfter: clustering.kept.length, pairsBefore: pairs(items), pairsAfter: pairs(clustering.kept), note: `k = ${clustering.report.k}, removed faces beyond mean + ${config.clustering.outlierSigma}·sd of their cluster` });
  const captionSteps = runCaptionSteps(clustering.kept, config);
  steps.push(...captionSteps.steps);
  const { manifest } = assembleManifest(captionSteps.items, config, 'emoji', clustering.clusterOf, clustering.misfitIds);
  const report = buildReport('emoji', manifest, steps, clustering.report, captionSteps, skipped, [], rasterSeconds, started, new Set(items.flatMap((i) => i.zh.map((c) => c.text))).size);
  writeCorpus(config.outDir, manifest, captionSteps.items, report, started);
  return { manifest, report };
}

export function buildReport(
  kind: 'emoji' | 'user',
  manifest: CorpusManifest,
  steps: StepCount[],
  clustering: BuildReport['clustering'],
  captionSteps: { composedCaptions: number; perplexityCeiling: number; distinctFinal: number },
  skipped: SkippedFile[],
  bandsCropped: BuildReport['bandsCropped'],
  rasterSeconds: number,
  started: number,
  distinctRaw: number,
): BuildReport {
  const train = manifest.records.filter((r) => r.split === 'train');
  const test = manifest.records.filter((r) => r.split === 'test');
  const held = new Set(manifest.heldOutCaptions);
  return {
    kind,
    steps,
    clustering,
    composedCaptions: captionSteps.composedCaptions,
    distinctCaptions: { raw: distinctRaw, final: captionSteps.distinctFinal },
    perplexityCeiling: captionSteps.perplexityCeiling,
    split: {
      trainImages: train.length,
      testImages: test.length,
      trainPairs: train.reduce((s, r) => s + r.zh.length, 0),
      testPairs: test.reduce((s, r) => s + r.zh.length, 0),
      heldOutCaptions: held.size,
      heldOutPairs: test.reduce((s, r) => s + r.zh.filter((c) => held.has(c.text)).length, 0),
    },
    templates: manifest.templates.map((t) => ({ id: t.id, images: t.recordCount, base: t.baseRecordId, baseReason: t.baseReason })),
    skipped,
    bandsCropped,
    seconds: { rasterise: Math.round(rasterSeconds * 10) / 10, total: Math.round((performance.now() - started) / 100) / 10 },
  };
}
