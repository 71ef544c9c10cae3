// Human-readable build report (also the source of the figures quoted in docs/DATA.md).
import type { CorpusManifest } from '../corpus.js';
import type { BuildReport } from './types.js';

export function renderReport(report: BuildReport, manifest: CorpusManifest): string {
  const lines: string[] = [];
  lines.push(`# Corpus build report (${report.kind})`, '');
  lines.push('| step | images before | images after | pairs before | pairs after | note |', '|---|---:|---:|---:|---:|---|');
  for (const s of report.steps) lines.push(`| ${s.step} | ${s.imagesBefore} | ${s.imagesAfter} | ${s.pairsBefore} | ${s.pairsAfter} | ${s.note} |`);
  const c = report.clustering;
  lines.push('', `Clustering: k = ${c.k}, ${c.purity === null ? '' : `purity ${c.purity}, NMI ${c.nmi}, `}silhouette ${c.silhouette}, ${c.outliers.length} removed, ${c.misfits.length} misfits flagged (${c.seconds} s).`);
  if (c.outliers.length) lines.push('', `Removed: ${c.outliers.join(', ')}`);
  if (c.misfits.length) lines.push('', `Misfits (outside their template's home cluster): ${c.misfits.join(', ')}`);
  lines.push('', '| template | images | agreement | base pattern P | why |', '|---|---:|---:|---|---|');
  for (const t of report.templates) lines.push(`| ${t.id} | ${t.images} | ${c.templateAgreement[t.id] ?? '–'} | ${t.base} | ${t.baseReason} |`);
  const s = report.split;
  lines.push('', `Split: train ${s.trainImages} images / ${s.trainPairs} pairs; test ${s.testImages} images / ${s.testPairs} pairs; ${s.heldOutCaptions} caption strings held out (${s.heldOutPairs} test pairs use one).`);
  lines.push(`Distinct zh captions: ${report.distinctCaptions.raw} raw → ${report.distinctCaptions.final} final; ${report.composedCaptions} composed.`);
  lines.push(`Templates: ${manifest.templates.length}. Records: ${manifest.records.length}.`);
  if (report.bandsCropped.length) {
    lines.push('', '## Caption bands cropped', '');
    for (const b of report.bandsCropped) lines.push(`- ${b.file}: top ${b.removedTop} px, bottom ${b.removedBottom} px`);
  }
  if (report.skipped.length) {
    lines.push('', '## Skipped files', '');
    for (const f of report.skipped) lines.push(`- ${f.file}: ${f.reason}`);
  }
  lines.push('', `Time: rasterise ${report.seconds.rasterise} s, total ${report.seconds.total} s.`, '');
  return lines.join('\n');
}
