/**
 * Loss curves of training runs as one PNG (issue 9: "give the loss curves as a plot"): one panel
 * per loss key, one coloured line per run, x = GAN step or GAN epoch. Plain SVG rendered by resvg,
 * so no plotting library and no browser.
 */
import { Resvg } from '@resvg/resvg-js';

export interface RunSeries {
  label: string;
  /** key → [x, value] points (x: the GAN step, or the epoch `epochAxis` maps it to), in x order. */
  series: Record<string, [number, number][]>;
}

// Ten well-separated hues (matplotlib's tab10); past ten runs the hues repeat dashed, then dotted,
// so up to thirty runs stay distinguishable (the default-model attempts alone number eighteen).
const COLOURS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const DASHES = ['', '6 3', '2 2'];

/** Stroke attributes of run i's line: a colour, and a dash pattern after the first ten runs. */
export function lineStyle(i: number): string {
  const dash = DASHES[Math.floor(i / COLOURS.length) % DASHES.length];
  return `stroke="${COLOURS[i % COLOURS.length]}"${dash ? ` stroke-dasharray="${dash}"` : ''}`;
}

/** Moving average over `k` points, so the noisy per-step losses read as trends. */
export function smooth(points: [number, number][], k: number): [number, number][] {
  return points.map(([x], i) => {
    const from = Math.max(0, i - k + 1);
    const window = points.slice(from, i + 1);
    return [x, window.reduce((a, [, y]) => a + y, 0) / window.length];
  });
}

/** What x is: the GAN step (runs of one batch size), or the epoch (runs whose batch sizes differ). */
export type XAxis = 'step' | 'epoch';

/** A point where a run's log says which epoch a GAN step ended: a warm start's init, or a checkpoint. */
export interface EpochAnchor {
  step: number;
  epoch: number;
}

/**
 * Step → epoch, piecewise linear between the anchors (one batch size per stretch, so steps per
 * epoch are constant in each), extended past the last anchor with the last stretch's slope.
 * A run whose warm start changed the batch (BO: 100 steps an epoch to epoch 75, then 50) gets
 * each stretch's own rate. With no anchor, the epoch is unknown: NaN.
 */
export function epochAxis(anchors: readonly EpochAnchor[]): (step: number) => number {
  const a = [...anchors].sort((p, q) => p.step - q.step).filter((p, i, all) => i === 0 || p.step > all[i - 1].step);
  if (a.length === 0) return () => NaN;
  if (a.length === 1) return (step) => (step === a[0].step ? a[0].epoch : NaN);
  return (step) => {
    let i = a.findIndex((p) => p.step >= step);
    if (i <= 0) i = i === 0 ? 1 : a.length - 1; // before the first anchor: the first stretch; past the last: the last
    const [p, q] = [a[i - 1], a[i]];
    return p.epoch + ((step - p.step) * (q.epoch - p.epoch)) / (q.step - p.step);
  };
}

function panel(key: string, runs: RunSeries[], x0: number, y0: number, w: number, h: number, xAxis: XAxis): string {
  const lines = runs.map((r) => r.series[key] ?? []).filter((s) => s.length > 0);
  const all = lines.flat();
  if (all.length === 0) return '';
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y).sort((a, b) => a - b);
  // Robust range: clip the first steps' spikes (2nd–98th percentile) so the trend is visible.
  const lo = ys[Math.floor(ys.length * 0.02)];
  const hi = ys[Math.min(ys.length - 1, Math.ceil(ys.length * 0.98))];
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const sx = (x: number) => x0 + 40 + ((x - xMin) / Math.max(1, xMax - xMin)) * (w - 50);
  const sy = (y: number) => y0 + h - 20 - ((Math.min(hi, Math.max(lo, y)) - lo) / Math.max(1e-9, hi - lo)) * (h - 40);
  const paths = runs.map((r, i) => {
    const pts = r.series[key] ?? [];
    if (pts.length === 0) return '';
    const d = pts.map(([x, y], k) => `${k ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    return `<path d="${d}" fill="none" ${lineStyle(i)} stroke-width="1.5"/>`;
  });
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
  const fmtX = (x: number) => (xAxis === 'step' ? `${x}` : `${Math.round(x * 10) / 10}`);
  return [
    `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="#fff" stroke="#ccc"/>`,
    `<text x="${x0 + w / 2}" y="${y0 + 14}" font-size="13" text-anchor="middle" font-family="sans-serif">${key}</text>`,
    `<text x="${x0 + 2}" y="${y0 + 28}" font-size="10" font-family="sans-serif">${fmt(hi)}</text>`,
    `<text x="${x0 + 2}" y="${y0 + h - 20}" font-size="10" font-family="sans-serif">${fmt(lo)}</text>`,
    `<text x="${x0 + w - 4}" y="${y0 + h - 6}" font-size="10" text-anchor="end" font-family="sans-serif">${xAxis} ${fmtX(xMax)}</text>`,
    `<text x="${x0 + 40}" y="${y0 + h - 6}" font-size="10" font-family="sans-serif">${fmtX(xMin)}</text>`,
    ...paths,
  ].join('');
}

/**
 * Legend slots: each entry is as wide as the longest label (~7 px a character at 12 px, plus the
 * line sample), at least 160 px, so long run names never overlap; `perRow` entries per 24 px row.
 */
export function legendLayout(labels: string[], width: number): { slot: number; perRow: number } {
  const slot = Math.max(160, 30 + 7 * Math.max(0, ...labels.map((l) => l.length)));
  return { slot, perRow: Math.max(1, Math.floor((width - 10) / slot)) };
}

/** The plot as PNG bytes: panels in a grid of `cols`, a legend row on top. */
export function lossPlotPng(runs: RunSeries[], keys: string[], cols = 3, xAxis: XAxis = 'step'): Buffer {
  const [w, h] = [320, 200];
  const rows = Math.ceil(keys.length / cols);
  const width = cols * w;
  const { slot, perRow } = legendLayout(runs.map((r) => r.label), width);
  const top = 24 * Math.ceil(runs.length / perRow);
  const height = rows * h + top;
  const legend = runs.map((r, i) => {
    const [x, y] = [10 + (i % perRow) * slot, 8 + 24 * Math.floor(i / perRow)];
    return `<path d="M${x},${y + 6}h14" ${lineStyle(i)} stroke-width="3"/><text x="${x + 18}" y="${y + 10}" font-size="12" font-family="sans-serif">${r.label}</text>`;
  });
  const panels = keys.map((k, i) => panel(k, runs, (i % cols) * w, top + Math.floor(i / cols) * h, w, h, xAxis));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f7f7f7"/>${legend.join('')}${panels.join('')}</svg>`;
  return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng());
}
