import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { SystemMetrics } from './evaluate-system';
import type { EvalResults } from './run-eval';

export const EVALUATION_DOC = 'docs/EVALUATION.md';
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—');
const num = (v: number | null, digits = 3) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits));

function systemRow(s: SystemMetrics, isCeiling: boolean): string {
  const members = s.rPrecisionByMember ?? [];
  const spread = members.length > 1 ? ` (evaluators ${pct(Math.min(...members))}–${pct(Math.max(...members))})` : '';
  const r = `${pct(s.rPrecision.mean)} ± ${pct(s.rPrecision.std)}${spread}`;
  const dist = isCeiling ? ['0', '0'] : [num(s.pixelDistance), num(s.featureDistance)];
  return `| ${s.label} | ${r} | ${pct(s.templateFidelity)} | ${pct(s.expressionTop1)} | ${pct(s.expressionTop5)} | ${pct(s.pairAccuracy)} | ${dist.join(' | ')} | ${isCeiling ? '—' : num(s.diversity)} | ${isCeiling ? '0 (itself)' : num(s.fidProxy)} |`;
}

/** "noto-cat 40.0% (20), …", lowest first; empty for results written before the breakdown existed. */
export function perTemplate(s: SystemMetrics): string {
  const rows = Object.entries(s.templateFidelityByTemplate ?? {}).sort(([a, x], [b, y]) => x.rate - y.rate || a.localeCompare(b));
  return rows.map(([t, v]) => `${t} ${pct(v.rate)} (${v.pairs})`).join(', ') || '—';
}

/** "fluent-color → fluent-3d 12, …", the `max` most frequent; "—" when none or not recorded. */
export function topConfusions(s: SystemMetrics, max = 8): string {
  return (s.templateConfusions ?? []).slice(0, max).map((c) => `${c.asked} → ${c.named} ${c.count}`).join(', ') || '—';
}

/** The generated part of docs/EVALUATION.md for one model: tables and grid links. */
export function modelSection(r: EvalResults): string {
  const e = r.evalSet;
  const lines = [
    `<!-- eval:begin ${r.model.name} -->`,
    `### Model \`${r.model.name}\` (${r.model.architecture}, version ${r.model.modelVersion}, ${r.model.stages.join('/')} px, templates ${r.model.templates.join(', ')})`,
    '',
    `Written by \`npm run eval -- --model ${r.model.name} --seed ${r.seed}${r.quick ? ' --quick' : ''}\` (backend ${r.backend}, ${Math.round(r.seconds)} s with evaluators ${r.evaluator.trainedThisRun.length ? 'trained this run' : 'from the cache'}, key \`${r.evaluator.cacheKey}\`, evaluator version ${r.evaluator.version ?? '6 or older'}). ` +
      `${e.pairs} generated (held-out image, caption) pairs over ${e.heldOutImages} held-out (style, expression) images; R-precision: 1 true + ${e.candidatesPerQuery - 1} mismatched captions, the mean over ${r.evaluator.evaluatorMembers ?? 1} evaluators (seeds; their range in brackets) ± std over ${e.rPrecisionSplits} splits; ` +
      `diversity: ${e.diversityTexts} texts × ${e.diversitySeeds} seeds. Full numbers: \`eval/${r.model.name}/results.json\`.`,
    '',
    '| system | R-precision | template fidelity | expression top-1 | expression top-5 | pair accuracy | pixel RMSE to held-out | feature distance to held-out | diversity | FID-proxy |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.systems.map((s) => systemRow(s, s.id === 'real-test')),
    ...r.notAvailable.map((n) => `| ${n.label} | not available: ${n.why} | | | | | | | | |`),
    '',
    `Template matching (manifest → corpus): ${r.templates.map((t) => `${t.manifestId} → ${t.corpusId ?? 'none'} (${t.how})`).join(', ')}.`,
    '',
    '**Sanity (classifiers on real images).** ' +
      `All ${r.sanity.testImages} real test images: template ${pct(r.sanity.templateAccuracyTest)}, expression top-1 ${pct(r.sanity.expressionTop1Test)}, top-5 ${pct(r.sanity.expressionTop5Test)}; ` +
      `training images: template ${pct(r.sanity.templateAccuracyTrain)}, expression top-1 ${pct(r.sanity.expressionTop1Train)}.`,
    '',
    '**Template fidelity per template** (share of the pairs asking for that template that the classifier names it; lowest first):',
    '',
    ...r.systems.filter((s) => s.id !== 'template-only' && s.id !== 'retrieval').map((s) => `- ${s.label}: ${perTemplate(s)}`),
    '',
    '**What the template judge named instead** (asked → named, pairs; the most frequent eight):',
    '',
    ...r.systems.filter((s) => s.id !== 'template-only' && s.id !== 'retrieval').map((s) => `- ${s.label}: ${topConfusions(s)}`),
    '',
    '**Checkpoint series** (first pairs of the eval set):',
    '',
    '| checkpoint | epoch | step | pairs | R-precision | template fidelity | expression top-5 | FID-proxy |',
    '|---|---|---|---|---|---|---|---|',
    ...r.checkpoints.map((c) => `| ${c.index} | ${c.epoch} | ${c.step} | ${c.metrics.pairs} | ${pct(c.metrics.rPrecision.mean)} ± ${pct(c.metrics.rPrecision.std)} | ${pct(c.metrics.templateFidelity)} | ${pct(c.metrics.expressionTop5)} | ${num(c.metrics.fidProxy)} |`),
    '',
    `Test captions × templates (first column: the real held-out image; seed ${r.seed}):`,
    '',
    `![test captions × templates](${link(r.grids.testCaptions)})`,
    '',
    'Checkpoint series (rows oldest first, then the final model; same captions and seed):',
    '',
    `![checkpoints](${link(r.grids.checkpoints)})`,
    '',
    r.phraseCollisions.length ? `Phrase collisions with corpus captions: ${r.phraseCollisions.join(', ')}.` : 'None of the meme phrases below is a corpus caption (checked on this run).',
    '',
    `![meme phrases × templates](${link(r.grids.phrases)})`,
    `<!-- eval:end ${r.model.name} -->`,
  ];
  return lines.join('\n');
}

const link = (docPath: string) => relative('docs', docPath).split('\\').join('/');

export class EvaluationDocMissingError extends Error {
  override name = 'EvaluationDocMissingError';
}

/** Replaces the model's section between its markers, or appends it before the end marker. */
export function updateEvaluationDoc(r: EvalResults, path = EVALUATION_DOC): void {
  if (!existsSync(path)) throw new EvaluationDocMissingError(`${path} is missing; restore it from git (it holds the hand-written rubric) and run again.`);
  const doc = readFileSync(path, 'utf8');
  const section = modelSection(r);
  const begin = `<!-- eval:begin ${r.model.name} -->`;
  const end = `<!-- eval:end ${r.model.name} -->`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  let next: string;
  if (i >= 0 && j > i) next = doc.slice(0, i) + section + doc.slice(j + end.length);
  else if (doc.includes('<!-- eval:models-end -->')) next = doc.replace('<!-- eval:models-end -->', `${section}\n\n<!-- eval:models-end -->`);
  else next = `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}
