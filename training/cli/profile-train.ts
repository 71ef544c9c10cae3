/**
 * npm run profile:train [-- --model standin|memeface --size 64 --iters 2 --batch 14 --top 30]
 *
 * Where one core's GAN iteration goes, kernel by kernel (wasm with the engine's kernels): the
 * stand-in's, or with `--model memeface` the trainer's own ganStep on the shipped default's config
 * (training/train/bench-subject.ts, the subject bench:train times).
 */
import { runProfileCli } from '../engine/bench/profile-cli';

await runProfileCli(process.argv.slice(2), { memeface: new URL('../train/bench-subject.ts', import.meta.url).href });
