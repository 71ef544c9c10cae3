/**
 * npm run profile:train [-- --size 64 --iters 2 --batch 14 --top 30]
 *
 * Where one core's stand-in GAN iteration goes, kernel by kernel (wasm with the engine's kernels).
 */
import { runProfileCli } from '../engine/bench/profile-cli';

await runProfileCli(process.argv.slice(2));
