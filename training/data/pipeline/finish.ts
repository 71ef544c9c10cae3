// Final stage shared by both pipelines: base patterns, split, and writing the corpus folder.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataConfig } from '../config.js';
import { CORPUS_FORMAT_VERSION, type CorpusManifest, type CorpusRecord, type CorpusTemplate } from '../corpus.js';
import { RelaxFiltersOrAddDataError } from '../errors.js';
import { splitCorpus } from '../split.js';
import { STYLES } from '../sources/styles.js';
import type { ScoredItem } from './captionSteps.js';
import { renderReport } from './reportMarkdown.js';
import type { BuildReport } from './types.js';

function distance(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

/**
 * The base pattern P of a template: its neutral face (😐), because a neutral face is the plain
 * base that every other expression edits locally; where there is none (cats, user clusters), the
 * medoid, the most typical image of the template.
 */
export function chooseBasePattern(members: readonly ScoredItem[]): { item: ScoredItem; reason: 'neutral face' | 'medoid' } {
  const neutral = members.find((m) => m.isNeutral);
  if (neutral) return { item: neutral, reason: 'neutral face' };
  let best = members[0], bestSum = Infinity;
  for (const candidate of members) {
    const sum = members.reduce((s, other) => s + distance(candidate.features, other.features), 0);
    if (sum < bestSum - 1e-12) { bestSum = sum; best = candidate; }
  }
  return { item: best, reason: 'medoid' };
}

function templateName(item: ScoredItem): string {
  const style = STYLES.find((s) => s.id === item.style);
  if (!style) return item.template;
  return item.templateKind === 'cat' ? `${style.name} cats` : style.name;
}

const imagePath = (size: number, id: string): string => `images/${size}/${id}.png`;
const templatePath = (template: string, size: number): string => `templates/${template}/P-${size}.png`;

export interface FinishOutcome {
  manifest: CorpusManifest;
  testIds: Set<string>;
}

export function assembleManifest(
  items: readonly ScoredItem[],
  config: DataConfig,
  kind: 'emoji' | 'user',
  clusterOf: ReadonlyMap<string, number>,
  misfitIds: ReadonlySet<string>,
): FinishOutcome {
  if (items.length < 2) throw new RelaxFiltersOrAddDataError(`Only ${items.length} image(s) survived cleaning; relax the filters or add images.`);
  const sizes = [config.imageSize, ...config.derivedSizes];
  const byTemplate = new Map<string, ScoredItem[]>();
  for (const item of items) byTemplate.set(item.template, [...(byTemplate.get(item.template) ?? []), item]);
  const templates: CorpusTemplate[] = [...byTemplate.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([id, members]) => {
    const base = chooseBasePattern(members);
    return {
      id,
      style: members[0].style,
      name: templateName(members[0]),
      kind: members[0].templateKind,
      baseRecordId: base.item.id,
      baseReason: base.reason,
      images: Object.fromEntries(sizes.map((s) => [String(s), templatePath(id, s)])),
      recordCount: members.length,
    };
  });
  const { testIds, heldOutCaptions } = splitCorpus(
    items.map((i) => ({ id: i.id, style: i.style, expression: i.expression, captions: i.scored.map((c) => c.text) })),
    {
      testFraction: config.split.testFraction,
      heldOutCaptionFraction: config.split.heldOutCaptionFraction,
      seed: config.seed,
      requireExpressionElsewhere: kind === 'emoji',
      keepInTrain: new Set(templates.map((t) => t.baseRecordId)),
    },
  );
  const records: CorpusRecord[] = items.map((item) => {
    const split = testIds.has(item.id) ? 'test' : 'train';
    return {
      id: item.id,
      style: item.style,
      template: item.template,
      codepoint: item.codepoint,
      emoji: item.emoji,
      expression: item.expression,
      zh: item.scored.filter((c) => split === 'test' || !heldOutCaptions.has(c.text)),
      en: item.en,
      split,
      cluster: clusterOf.get(item.id) ?? -1,
      misfit: misfitIds.has(item.id),
      images: Object.fromEntries(sizes.map((s) => [String(s), imagePath(s, item.id)])),
      source: item.source,
    };
  });
  return {
    testIds,
    manifest: { formatVersion: CORPUS_FORMAT_VERSION, kind, seed: config.seed, sizes, templates, records, heldOutCaptions: [...heldOutCaptions].sort() },
  };
}

/**
 * Replaces the corpus folder's generated contents (only the paths this module writes), then the
 * report, whose total time is taken after the images are on disk.
 */
export function writeCorpus(outDir: string, manifest: CorpusManifest, items: readonly ScoredItem[], report: BuildReport, started: number): void {
  for (const generated of ['images', 'templates', 'manifest.json', 'report.json', 'report.md']) rmSync(join(outDir, generated), { recursive: true, force: true });
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const size of manifest.sizes) mkdirSync(join(outDir, 'images', String(size)), { recursive: true });
  for (const record of manifest.records) {
    const item = byId.get(record.id) as ScoredItem;
    for (const size of manifest.sizes) writeFileSync(join(outDir, record.images[String(size)]), item.pngBySize.get(size) as Buffer);
  }
  for (const template of manifest.templates) {
    const base = byId.get(template.baseRecordId) as ScoredItem;
    mkdirSync(join(outDir, 'templates', template.id), { recursive: true });
    for (const size of manifest.sizes) writeFileSync(join(outDir, template.images[String(size)]), base.pngBySize.get(size) as Buffer);
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  report.seconds.total = Math.round((performance.now() - started) / 100) / 10;
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
  writeFileSync(join(outDir, 'report.md'), renderReport(report, manifest));
}
