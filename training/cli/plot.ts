/**
 * npm run plot -- --run <run> [--run <run> …] [--out docs/training/loss-curves.png] [--smooth 10] [--x step|epoch]
 * Loss curves (GAN phase) of one or more runs' log.jsonl as one PNG. --x epoch puts runs of
 * different batch sizes on one axis (an epoch is the same number of pairs in each).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { epochAxis, lossPlotPng, smooth, type EpochAnchor, type RunSeries, type XAxis } from '../report/loss-plot';

const KEYS = ['recon_l1', 'g_adv', 'd', 'g_damsm', 'kl', 'eval recon_l1'];

function readRun(runArg: string, k: number, xAxis: XAxis): RunSeries {
  const dir = existsSync(runArg) ? runArg : join('training', 'runs', runArg);
  const log = join(dir, 'log.jsonl');
  if (!existsSync(log)) throw new Error(`No log at ${log}: pass a run name under training/runs/ or a run folder.`);
  const series: Record<string, [number, number][]> = {};
  const push = (key: string, x: number, y: number) => (series[key] ??= []).push([x, y]);
  let lastGanStep = 0;
  const anchors: EpochAnchor[] = [];
  let warmStart = false;
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { phase?: string; event?: string; epoch?: number; step?: number; losses?: Record<string, number>; recon_l1?: number };
    if ((r.event === 'init' || r.event === 'checkpoint') && r.phase === 'gan' && r.step !== undefined && r.epoch !== undefined) {
      anchors.push({ step: r.step, epoch: r.epoch });
      warmStart ||= r.event === 'init';
    }
    // x = GAN step: runs that pre-trained DAMSM themselves and runs that reused one line up.
    if (r.phase === 'gan' && r.losses && r.step !== undefined) {
      lastGanStep = r.step;
      for (const [key, v] of Object.entries(r.losses)) push(key, r.step, v);
    }
    if (r.event === 'eval' && r.recon_l1 !== undefined) push('eval recon_l1', lastGanStep, r.recon_l1);
  }
  for (const key of Object.keys(series)) if (key !== 'eval recon_l1') series[key] = smooth(series[key], k);
  if (xAxis === 'epoch') {
    // A run from scratch starts at step 0, epoch 0; a warm start's init event says where it starts.
    const toEpoch = epochAxis(warmStart ? anchors : [{ step: 0, epoch: 0 }, ...anchors]);
    for (const key of Object.keys(series)) series[key] = series[key].map(([x, y]) => [toEpoch(x), y]);
  }
  return { label: basename(dir).replace(/^\d{4}-\d{2}-\d{2}_/, ''), series };
}

const { values } = parseArgs({ options: { run: { type: 'string', multiple: true }, out: { type: 'string', default: 'docs/training/loss-curves.png' }, smooth: { type: 'string', default: '10' }, x: { type: 'string', default: 'step' } } });
if (values.x !== 'step' && values.x !== 'epoch') {
  console.error(`--x must be step or epoch, got "${values.x}".`);
  process.exit(2);
}
const xAxis = values.x as XAxis;
if (!values.run?.length) {
  console.error('Usage: npm run plot -- --run <run> [--run <run> …] [--out file.png] [--smooth N] [--x step|epoch]');
  process.exit(2);
}
const runs = values.run.map((r) => readRun(r, Number(values.smooth), xAxis));
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, lossPlotPng(runs, KEYS, 3, xAxis));
console.log(`[plot] ${values.out} (${runs.map((r) => r.label).join(', ')})`);
