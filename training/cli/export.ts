import { parseArgs } from 'node:util';
import { exportSpine } from '../spine/export-spine';
import { exportRun } from '../export/export-run';
import { reExport } from '../export/re-export';
import { replaceModelFolder } from '../export/write-files';
import type { WeightPrecision } from '../../model/ops/serialize';
import { EXPORT_OPTIONS, EXPORT_SWITCHES, parseEditSharpness, type ExportOptions } from '../train/config';

/**
 * npm run export -- --spine [--name spine]   the spine's tiny model (random seeded weights)
 * npm run export -- --run <run> --name default   a trained run (see training/export/)
 *   [--source-export <dir>]   a run started from an export (--init-from-export): where that export is now,
 *                             if it is no longer where the run recorded it; its timeline comes first
 * npm run export -- --from-export <model> --name <name> --out <dir>   an export again, with the options below added
 *   [--snap-mono]   monochrome templates' edits snap to ink or white (model.snapMono)
 *   [--coarse-from-below]   upper stages keep their detail over stage 0's picture (model.coarseFromBelow)
 *   [--sharpen-edits <gain>@<threshold>]   edit masks read as σ(gain · (ℓ − logit threshold)) (model.editSharpness)
 */
const { values } = parseArgs({
  options: {
    spine: { type: 'boolean', default: false },
    name: { type: 'string' },
    run: { type: 'string' },
    out: { type: 'string' },
    precision: { type: 'string', default: 'float16' },
    'timeline-precision': { type: 'string', default: 'uint8' },
    'max-timeline': { type: 'string', default: '0' },
    'from-export': { type: 'string' },
    'source-export': { type: 'string' },
    'sharpen-edits': { type: 'string' },
    ...Object.fromEntries(EXPORT_SWITCHES.map((key) => [EXPORT_OPTIONS[key].slice(2), { type: 'boolean', default: false } as const])),
  },
});

class UsageError extends Error {
  override name = 'UsageError';
}

function exportOptions(): ExportOptions {
  const options: ExportOptions = {};
  for (const key of EXPORT_SWITCHES) if ((values as Record<string, unknown>)[EXPORT_OPTIONS[key].slice(2)] === true) options[key] = true;
  if (values['sharpen-edits'] !== undefined) options.editSharpness = parseEditSharpness(values['sharpen-edits']);
  return options;
}

async function main(): Promise<void> {
  if (values.spine) {
    const name = values.name ?? 'spine';
    const out = values.out ?? `public/models/${name}`;
    await replaceModelFolder(out, (staging) => exportSpine(staging, name));
    console.log(`Exported the spine model to ${out}`);
    return;
  }
  if (values.run) {
    const name = values.name ?? 'default';
    const out = values.out ?? `public/models/${name}`;
    const runDir = values.run.includes('/') ? values.run : `training/runs/${values.run}`;
    const m = await replaceModelFolder(out, (staging) =>
      exportRun({
        runDir,
        name,
        outDir: staging,
        finalPrecision: precision(values.precision),
        timelinePrecision: precision(values['timeline-precision']),
        maxTimeline: Number(values['max-timeline']),
        exportOptions: exportOptions(),
        sourceExport: values['source-export'],
      }),
    );
    const bytes = m.files.reduce((n, f) => n + f.bytes, 0);
    console.log(`Exported ${runDir} → ${out}: ${m.stages.length} stages, ${m.checkpoints.length} checkpoints, ${m.templates.length} templates, ${(bytes / 1e6).toFixed(2)} MB`);
    return;
  }
  if (values['from-export']) {
    const name = values.name ?? 'default';
    const out = values.out ?? `public/models/${name}`;
    const options = exportOptions();
    if (!Object.keys(options).length) throw new UsageError('--from-export re-exports a model with export options added: give at least one (--snap-mono, --coarse-from-below, --sharpen-edits <gain>@<threshold>).');
    const from = values['from-export'];
    const m = await replaceModelFolder(out, (staging) => reExport({ from, name, outDir: staging, exportOptions: options }));
    console.log(`Re-exported ${values['from-export']} → ${out} with ${JSON.stringify(options)}: ${m.stages.length} stages, ${m.checkpoints.length} checkpoints`);
    return;
  }
  console.error('Usage: npm run export -- --spine [--name <name>]  |  --run <run> --name <name>  |  --from-export <model> --name <name> --out <dir> <options>');
  process.exit(2);
}

function precision(p: string | undefined): WeightPrecision {
  if (p === 'float32' || p === 'float16' || p === 'uint8') return p;
  throw Object.assign(new Error(`--precision must be float32, float16 or uint8 (got ${p}).`), { name: 'UsageError' });
}

main().catch((e) => {
  console.error(`${(e as Error).name}: ${(e as Error).message}`);
  process.exit(1);
});
