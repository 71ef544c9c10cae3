import { spawn } from 'node:child_process';
import os from 'node:os';
import { BENCH_MODES, OPT_IN_BENCH_MODES, measure, mergeRuns, pairResult, silenceTfjsWarnings, type BenchJob, type BenchMode, type BenchResult } from './measure';
import { formatReport } from './report';

interface BenchArgs {
  sizes: number[];
  modes: BenchMode[];
  iterations: number;
  cpuIterations: number;
  cpuSizes: number[];
  batch: number;
  /** Each non-cpu set-up runs this many times, alternating, so drifting load hits all alike. */
  rounds: number;
  model: string;
  config: object;
}

/** The value after `--name` in `args`, or `fallback`. */
export function argValue(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

function parseArgs(args: string[]): BenchArgs {
  const get = (name: string, fallback: string) => argValue(args, name, fallback);
  const numbers = (s: string) => s.split(',').map(Number);
  const modes = get('modes', BENCH_MODES.join(',')).split(',') as BenchMode[];
  const known = [...BENCH_MODES, ...OPT_IN_BENCH_MODES];
  const unknown = modes.filter((m) => !known.includes(m));
  if (unknown.length) throw new Error(`--modes takes ${known.join(', ')}; got ${unknown.join(', ')}.`);
  return {
    sizes: numbers(get('sizes', '64,128')),
    modes,
    iterations: Number(get('iters', '5')),
    cpuIterations: Number(get('cpu-iters', '2')),
    cpuSizes: numbers(get('cpu-sizes', '64')),
    batch: Number(get('batch', '14')),
    rounds: Number(get('rounds', '1')),
    model: get('model', 'standin'),
    config: JSON.parse(get('config', '{}')) as object,
  };
}

/** Refuses a `--model` that is neither the stand-in nor a registered subject, naming the ones there are. */
export function assertKnownModel(model: string, subjects: Record<string, string>): void {
  if (model !== 'standin' && !(model in subjects)) {
    throw new Error(`--model takes standin${Object.keys(subjects).map((m) => `, ${m}`).join('')}; got "${model}".`);
  }
}

/**
 * `subjects`: models besides the stand-in, by name → URL of a module exporting
 * createBenchSubject(job) (the engine does not import the trainer; the CLI wires it in).
 */
export async function runBenchCli(args: string[], subjects: Record<string, string> = {}): Promise<void> {
  const childJob = args.indexOf('--child-job');
  if (childJob >= 0) return runChild(JSON.parse(args[childJob + 1]) as BenchJob);
  const a = parseArgs(args);
  assertKnownModel(a.model, subjects);
  // Other models run their own loop: one thread (cpu, wasm, pair, webgpu) or their own two-core set-up (wasm2).
  const modes = a.model === 'standin' ? a.modes : a.modes.filter((m) => m === 'cpu' || m === 'wasm' || m === 'wasm2' || m === 'pair' || m === 'webgpu');
  if (modes.length < a.modes.length) {
    console.log(`(--model ${a.model}: runs the modes cpu, wasm, wasm2, pair and webgpu only; skipped ${a.modes.filter((m) => !modes.includes(m)).join(', ')})`);
  }
  console.log(`bench:train on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), load average ${os.loadavg()[0].toFixed(1)}`);
  const results: BenchResult[] = [];
  const rounds: BenchResult[][] = [];
  for (const resolution of a.sizes) {
    for (let round = 0; round < a.rounds; round++) {
      const thisRound: BenchResult[] = [];
      for (const mode of modes) {
        if (mode === 'cpu' && (!a.cpuSizes.includes(resolution) || round > 0)) continue;
        const job: BenchJob = {
          mode,
          resolution,
          batch: a.batch,
          iterations: mode === 'cpu' ? a.cpuIterations : a.iterations,
          warmup: mode === 'cpu' ? 0 : 1, // cpu compiles nothing; its iterations are too slow to waste
          config: a.config,
          model: a.model,
          subjectModule: subjects[a.model],
        };
        const r = mode === 'pair' ? pairResult(...(await Promise.all([runInChild({ ...job, mode: 'wasm' }), runInChild({ ...job, mode: 'wasm' })]))) : await runInChild(job);
        console.log(`  ${mode} ${resolution} px${a.rounds > 1 ? ` (round ${round + 1})` : ''}: median ${r.medianMs.toFixed(0)} ms/iter, ${r.gflops.toFixed(2)} GFLOP/s, peak RSS ${r.peakRssMb.toFixed(0)} MB`);
        thisRound.push(r);
      }
      rounds.push(thisRound);
    }
  }
  for (const resolution of a.sizes) {
    for (const mode of modes) {
      const runs = rounds.flat().filter((r) => r.job.mode === mode && r.job.resolution === resolution);
      if (runs.length > 0) results.push(mergeRuns(runs));
    }
  }
  console.log(formatReport(results, rounds));
  console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} (other work on this machine slows every row)`);
}

async function runChild(job: BenchJob): Promise<void> {
  silenceTfjsWarnings();
  const result = await measure(job);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
  process.exit(0); // worker threads and wasm keep the event loop alive otherwise
}

/**
 * Same runtime (tsx loader flags included) and the same script in a fresh process, so memory and
 * backend state are clean. The script is this process's own (the CLI, or a bundle of it).
 */
function runInChild(job: BenchJob): Promise<BenchResult> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], '--child-job', JSON.stringify(job)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      // Dawn (webgpu) can die by a signal while the process exits, after the result is complete.
      if (line && (code === 0 || signal !== null)) {
        if (signal !== null) console.log(`(the ${job.mode} child reported its result, then exited by ${signal})`);
        resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as BenchResult);
      } else reject(new Error(`bench child for ${job.mode} ${job.resolution} px exited with ${code ?? signal}: ${out.slice(-500)}`));
    });
  });
}
