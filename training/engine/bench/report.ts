import { median, type BenchResult } from './measure';

const LABEL = { cpu: 'stock cpu', wasm: 'wasm + kernels, 1 core', wasm2: 'wasm + kernels, 2 cores', 'wasm2-grads': '2 cores, Adam in main', pair: '2 × 1 core at once*', webgpu: 'webgpu (Dawn), 1 GPU' } as const;

/** A side-by-side table per resolution, with ratios to stock cpu and to one core. */
export function formatReport(results: BenchResult[], rounds: BenchResult[][] = []): string {
  const lines: string[] = [];
  const resolutions = [...new Set(results.map((r) => r.job.resolution))].sort((a, b) => a - b);
  for (const res of resolutions) {
    const rows = results.filter((r) => r.job.resolution === res);
    const cpu = rows.find((r) => r.job.mode === 'cpu');
    const one = rows.find((r) => r.job.mode === 'wasm');
    const first = rows[0];
    lines.push(
      `\n${first.description}, ${res}×${res} px, batch ${first.job.batch}, ${(first.params / 1e6).toFixed(2)}M params, ` +
        `${(first.flopsPerIteration / 1e9).toFixed(1)} GFLOP per iteration (${first.iterationLabel})`,
    );
    lines.push(
      `${'set-up'.padEnd(26)}${'ms/iter (median)'.padStart(17)}${'GFLOP/s'.padStart(9)}${'peak RSS'.padStart(10)}` +
        `${'vs cpu'.padStart(9)}${'vs 1 core'.padStart(10)}${'CPU s/iter'.padStart(12)}  iterations (ms)`,
    );
    for (const r of rows) {
      const vsCpu = cpu ? `${(cpu.medianMs / r.medianMs).toFixed(0)}×` : 'n/a';
      const vsOne = one ? `${(one.medianMs / r.medianMs).toFixed(2)}×` : 'n/a';
      lines.push(
        `${LABEL[r.job.mode].padEnd(26)}${r.medianMs.toFixed(0).padStart(17)}${r.gflops.toFixed(2).padStart(9)}` +
          `${`${r.peakRssMb.toFixed(0)} MB`.padStart(10)}${vsCpu.padStart(9)}${vsOne.padStart(10)}` +
          `${(r.medianCpuMs / 1000).toFixed(2).padStart(12)}  ` +
          r.iterationMs.map((m) => m.toFixed(0)).join(', '),
      );
    }
    for (const r of rows) if (r.workerMs && r.workerMs.length > 0) lines.push(workerBreakdown(r));
    for (const r of rows) if (r.job.mode === 'webgpu') lines.push(`${LABEL.webgpu}: ${r.backend}`);
    for (const mode of ['wasm2', 'wasm2-grads', 'pair'] as const) {
      const ratios = roundRatios(rounds, res, mode);
      if (ratios.length > 1) lines.push(`${LABEL[mode]} vs 1 core, round by round (medians of each pair of runs): ${ratios.map((x) => `${x.toFixed(2)}×`).join(', ')}`);
    }
    if (rows.some((r) => r.job.mode === 'pair')) {
      lines.push('*the one-core set-up in two processes at once, ms per iteration halved: what this machine gives two independent runs, an upper bound for splitting one run over both cores.');
    }
    const roundsHere = rounds.filter((r) => r.some((x) => x.job.resolution === res)).length;
    if (roundsHere > 1) lines.push(`(medians pool the iterations of ${roundsHere} alternating rounds)`);
    if (!cpu) lines.push('(stock cpu not run at this size: too slow; see --cpu-sizes)');
    lines.push('CPU s/iter: process CPU time over all threads; wall ms / CPU s shows how much of the cores the run got.');
  }
  return lines.join('\n');
}

function roundRatios(rounds: BenchResult[][], res: number, mode: BenchResult['job']['mode']): number[] {
  return rounds
    .map((round) => [round.find((r) => r.job.resolution === res && r.job.mode === 'wasm'), round.find((r) => r.job.resolution === res && r.job.mode === mode)])
    .filter((pair): pair is [BenchResult, BenchResult] => pair[0] !== undefined && pair[1] !== undefined)
    .map(([one, other]) => one.medianMs / other.medianMs);
}

/** Where a two-core iteration went: medians per iteration of each worker's phases (mean over workers), and the rest. */
function workerBreakdown(r: BenchResult): string {
  const w = r.workerMs ?? [];
  const pick = (f: (x: (typeof w)[number]) => number) => median(w.map(f)).toFixed(0);
  const rest = median(w.map((x, i) => r.iterationMs[i] - x.gradients - x.barrier - x.update)).toFixed(0);
  return (
    `${LABEL[r.job.mode]}, each worker per iteration (medians): gradients ${pick((x) => x.gradients)} ms, ` +
    `waiting at the barrier ${pick((x) => x.barrier)} ms, shard average + Adam + new parameters ${pick((x) => x.update)} ms; ` +
    `the rest (batch split, messages) ${rest} ms`
  );
}
