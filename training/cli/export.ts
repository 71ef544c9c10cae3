import { parseArgs } from 'node:util';
import { rmSync } from 'node:fs';
import { exportSpine } from '../spine/export-spine';
import { exportRun } from '../export/export-run';
import type { WeightPrecision } from '../../model/ops/serialize';
import { EXPORT_OPTIONS } from '../train/config';

/**
 * npm run export -- --spine [--name spine]   the spine's tiny model (random seeded weights)
 * npm run export -- --run <run> --name default   a trained run (see training/export/)
 *   [--snap-mono]   monochrome templates' edits snap to ink or white (model.snapMono)
 *   [--coarse-from-below]   upper stages keep their detail over stage 0's picture (model.coarseFromBelow)
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
    ...Object.fromEntries(Object.values(EXPORT_OPTIONS).map((flag) => [flag.slice(2), { type: 'boolean', default: false } as const])),
  },
});

async function main(): Promise<void> {
  if (values.spine) {
    const name = values.name ?? 'spine';
    const out = values.out ?? `public/models/${name}`;
    await exportSpine(out, name);
    console.log(`Exported the spine model to ${out}`);
    return;
  }
  if (values.run) {
    const name = values.name ?? 'default';
    const out = values.out ?? `public/models/${name}`;
    const runDir = values.run.includes('/') ? values.run : `training/runs/${values.run}`;
    rmSync(out, { recursive: true, force: true }); // a model folder holds exactly one export
    const m = await exportRun({
      runDir,
      name,
      outDir: out,
      finalPrecision: precision(values.precision),
      timelinePrecision: precision(values['timeline-precision']),
      maxTimeline: Number(values['max-timeline']),
      exportOptions: Object.fromEntries(Object.entries(EXPORT_OPTIONS).filter(([, flag]) => (values as Record<string, unknown>)[flag.slice(2)] === true).map(([key]) => [key, true])),
    });
    const bytes = m.files.reduce((n, f) => n + f.bytes, 0);
    console.log(`Exported ${runDir} → ${out}: ${m.stages.length} stages, ${m.checkpoints.length} checkpoints, ${m.templates.length} templates, ${(bytes / 1e6).toFixed(2)} MB`);
    return;
  }
  console.error('Usage: npm run export -- --spine [--name <name>]  |  --run <run> --name <name>');
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
