import * as tf from '@tensorflow/tfjs-core';
import { initTrainingEngine } from '../init';
import { profileKernelsAsync } from '../kernel-profile';
import { argValue, assertKnownModel } from './cli';
import { benchSubject, silenceTfjsWarnings } from './measure';

/**
 * Where one core's training iteration goes, kernel by kernel (exclusive ms, summed over
 * `--iters` iterations after one warm-up). For deciding which kernel to speed up next.
 * `subjects`: models besides the stand-in (`--model`), by name → URL of a module exporting
 * createBenchSubject, as bench:train registers them.
 */
export async function runProfileCli(args: string[], subjects: Record<string, string> = {}): Promise<void> {
  const get = (name: string, fallback: string) => argValue(args, name, fallback);
  const resolution = Number(get('size', '64'));
  const iterations = Number(get('iters', '2'));
  const top = Number(get('top', '30'));
  const model = get('model', 'standin');
  assertKnownModel(model, subjects);
  silenceTfjsWarnings();
  await initTrainingEngine({ backend: 'wasm', log: () => {} });
  const subject = await benchSubject({ mode: 'wasm', resolution, batch: Number(get('batch', '14')), iterations, warmup: 1, config: {}, model, subjectModule: subjects[model] });
  await subject.iteration(); // warm-up: XNNPACK operator caches, Adam slots
  const t0 = performance.now();
  const times = await profileKernelsAsync(async () => {
    for (let i = 0; i < iterations; i++) await subject.iteration();
  });
  const wall = performance.now() - t0;
  await subject.dispose();
  const total = times.reduce((a, t) => a + t.ms, 0);
  console.log(subject.description);
  console.log(`${resolution} px, ${iterations} iterations: ${(wall / iterations).toFixed(0)} ms/iter wall, ${(total / iterations).toFixed(0)} ms/iter in kernels`);
  const convMs = times.filter((t) => t.kernel.startsWith('Conv2D ') || t.kernel === 'Conv2D').reduce((a, t) => a + t.ms, 0);
  // Convs run at XNNPACK's speed; the rest is what kernel work can still win back. On a shared
  // machine the split also shows whether a change or the neighbours moved the total.
  console.log(`XNNPACK convs ${(convMs / iterations).toFixed(0)} ms/iter, everything else ${((total - convMs) / iterations).toFixed(0)} ms/iter in kernels + ${((wall - total) / iterations).toFixed(0)} ms/iter outside`);
  for (const t of times.slice(0, top)) {
    console.log(`${t.kernel.padEnd(48)} ${String(t.calls / iterations).padStart(6)} calls ${(t.ms / iterations).toFixed(1).padStart(8)} ms ${((100 * t.ms) / total).toFixed(1).padStart(5)}%`);
  }
}
