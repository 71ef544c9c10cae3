// `npm run data -- --from <folder>`: the same pipeline on a user's memes. Broken, empty or
// non-image files and files without captions are skipped and listed in the report; they never
// abort the build. Caption bands are cropped before trimming; k-means clusters become templates.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DataConfig } from '../config.js';
import { AddCaptionsFileError } from '../errors.js';
import { detectCaptionBands } from '../images/band.js';
import { imageFeatures } from '../images/features.js';
import { rasterise } from '../images/raster.js';
import { listFolderFiles, readCaptionsFile, type UserCaptionEntry } from '../userFolder.js';
import { runCaptionSteps } from './captionSteps.js';
import { clusterItems } from './clustering.js';
import { buildReport, type BuildOutcome } from './emoji.js';
import { assembleManifest, writeCorpus } from './finish.js';
import { mapWithConcurrency } from './pool.js';
import type { BuildReport, PipelineItem, SkippedFile, StepCount } from './types.js';

/** Longest side analysed for bands; memes are large but bands are coarse structures. */
const BAND_ANALYSIS_SIDE = 512;

/** File-name-safe record id from a relative path. */
function idFor(file: string, index: number): string {
  const stem = file.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60);
  return `user-${String(index).padStart(4, '0')}-${stem}`;
}

async function decodeWithBandCrop(bytes: Buffer, config: DataConfig): Promise<{ png: Buffer; removedTop: number; removedBottom: number }> {
  const { data, info } = await sharp(bytes, { failOn: 'error' })
    .rotate()
    .resize(BAND_ANALYSIS_SIDE, BAND_ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const crop = config.band.enabled ? detectCaptionBands(rgb, info.width, info.height, config.band) : { top: 0, bottom: info.height, removedTop: 0, removedBottom: 0 };
  const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .extract({ left: 0, top: crop.top, width: info.width, height: crop.bottom - crop.top })
    .png()
    .toBuffer();
  return { png, removedTop: crop.removedTop, removedBottom: crop.removedBottom };
}

function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format|Input buffer contains unsupported/i.test(message)) return 'not an image (unsupported format)';
  return `unreadable image: ${message.split('\n')[0]}`;
}

export async function buildUserCorpus(folder: string, config: DataConfig, log: (line: string) => void = () => {}): Promise<BuildOutcome> {
  const started = performance.now();
  const { entries, captionFile, problems } = readCaptionsFile(folder);
  const files = listFolderFiles(folder);
  const skipped: SkippedFile[] = problems.map((p) => ({ file: `${captionFile.split(/[\\/]/).pop()}:${p.line}`, reason: `bad caption line: ${p.reason}` }));
  for (const listed of entries.keys()) if (!files.includes(listed)) skipped.push({ file: listed, reason: 'listed in the captions file but missing' });
  const jobs: { file: string; entry: UserCaptionEntry; index: number }[] = [];
  files.forEach((file, index) => {
    const entry = entries.get(file);
    if (entry) jobs.push({ file, entry, index });
    else skipped.push({ file, reason: 'no caption in the captions file' });
  });
  log(`reading ${jobs.length} captioned files from ${folder}…`);
  const bandsCropped: BuildReport['bandsCropped'] = [];
  const rasterStarted = performance.now();
  const rendered = await mapWithConcurrency(jobs, config.concurrency, async ({ file, entry, index }): Promise<PipelineItem | null> => {
    const path = join(folder, file);
    try {
      if (statSync(path).size === 0) { skipped.push({ file, reason: 'empty file' }); return null; }
      const { png, removedTop, removedBottom } = await decodeWithBandCrop(readFileSync(path), config);
      if (removedTop || removedBottom) bandsCropped.push({ file, removedTop, removedBottom });
      const raster = await rasterise(png, 'bitmap', config);
      return {
        id: idFor(file, index), style: 'user', template: 'user', templateKind: 'user', codepoint: '', emoji: '',
        expression: entry.expression ?? entry.zh[0], isNeutral: false,
        source: { package: 'user', version: '', name: file },
        pngBySize: raster.pngBySize, features: imageFeatures(raster.rgb, config.imageSize),
        zh: entry.zh.map((text) => ({ text, source: 'user' as const, composed: false })), en: entry.en, zhName: '',
      };
    } catch (error) {
      skipped.push({ file, reason: describeFailure(error) });
      return null;
    }
  });
  const items = rendered.filter((i): i is PipelineItem => i !== null);
  if (items.length < 2) throw new AddCaptionsFileError(`Only ${items.length} usable captioned image(s) in ${folder}; need at least 2. Skipped: ${skipped.map((s) => `${s.file} (${s.reason})`).join('; ')}`);
  skipped.sort((a, b) => a.file.localeCompare(b.file));
  bandsCropped.sort((a, b) => a.file.localeCompare(b.file));
  const rasterSeconds = (performance.now() - rasterStarted) / 1000;
  const pairs = (list: readonly PipelineItem[]): number => list.reduce((s, i) => s + i.zh.length, 0);
  const steps: StepCount[] = [
    { step: '0. collected', imagesBefore: files.length, imagesAfter: items.length, pairsBefore: [...entries.values()].reduce((s, e) => s + e.zh.length, 0), pairsAfter: pairs(items), note: `${skipped.length} skipped (broken, empty, non-image or uncaptioned); ${bandsCropped.length} caption bands cropped` },
  ];
  const clustering = clusterItems(items, config.clustering, config.seed, false);
  steps.push({ step: '1. k-means outliers', imagesBefore: items.length, imagesAfter: clustering.kept.length, pairsBefore: pairs(items), pairsAfter: pairs(clustering.kept), note: `k = ${clustering.report.k} (${config.clustering.k === 'auto' ? 'silhouette-chosen' : 'configured'})` });
  const captionSteps = runCaptionSteps(clustering.kept, config);
  steps.push(...captionSteps.steps);
  const { manifest } = assembleManifest(captionSteps.items, config, 'user', clustering.clusterOf, clustering.misfitIds);
  const report = buildReport('user', manifest, steps, clustering.report, captionSteps, skipped, bandsCropped, rasterSeconds, started, new Set(items.flatMap((i) => i.zh.map((c) => c.text))).size);
  writeCorpus(config.outDir, manifest, captionSteps.items, report, started);
  return { manifest, report };
}
