/**
 * npm run bench:train [-- --model standin|memeface --sizes 64,128 --modes cpu,wasm,wasm2,wasm2-grads,pair --iters 5
 *                        --rounds 1 --cpu-iters 2 --cpu-sizes 64 --batch 14 --config '{"gWidths":[16,32,64,256]}']
 *
 * Times training iterations of the stand-in GAN for stock cpu, wasm with the engine's kernels on
 * one core, two worker cores (Adam in the workers, or in the main thread: wasm2-grads), and the
 * machine's two-core ceiling (pair: two one-core runs at once). `--model memeface` times the real MemeFace GAN step instead
 * (training/train/bench-subject.ts; cpu and one core, FLOPs counted from the kernels it runs).
 * Every (set-up, size) runs in its own child process, so peak RSS is per set-up; the table at the
 * end comes from this one run.
 */
import { runBenchCli } from '../engine/bench/cli';

await runBenchCli(process.argv.slice(2), { memeface: new URL('../train/bench-subject.ts', import.meta.url).href });
