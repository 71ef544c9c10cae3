/**
 * npm run bench:train [-- --sizes 64,128 --modes cpu,wasm,wasm2 --iters 5 --rounds 1 --cpu-iters 2 --cpu-sizes 64
 *                        --batch 14 --config '{"gWidths":[16,32,64,256]}']
 *
 * Times training iterations of the stand-in GAN for stock cpu, wasm with the engine's kernels on
 * one core, and two worker cores. Every (set-up, size) runs in its own child process, so peak
 * RSS is per set-up; the table at the end comes from this one run.
 */
import { runBenchCli } from '../engine/bench/cli';

await runBenchCli(process.argv.slice(2));
