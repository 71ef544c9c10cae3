// npm run pack:gpu-bench [-- --out .gpu-bench]
//
// Packs `npm run bench:train` for a Linux x64 GPU machine that has no Node, npm or network:
// one bundled script, tfjs' wasm binaries, Dawn (the `webgpu` package's linux-x64 build only),
// this Node binary (xz) and Debian's Vulkan loader and glvnd (.debs, downloaded here with apt-get).
// On the GPU machine run `bash <out>/run.sh [bench:train options]` (see run.sh).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const VULKAN_DEBS = ['libvulkan1', 'libglvnd0', 'libglx0', 'libegl1', 'libgl1', 'libopengl0', 'libgles2'];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outArg = process.argv.indexOf('--out');
const out = path.resolve(root, outArg >= 0 ? process.argv[outArg + 1] : '.gpu-bench');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

// The tfjs packages are CommonJS and read __dirname (to find their .wasm files): give the ESM
// bundle both, pointing at the bundle's folder, where the .wasm files are copied.
await build({
  entryPoints: [path.join(root, 'training/cli/bench-train.ts')],
  outfile: path.join(out, 'bench-train.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu', '@tensorflow/tfjs-node'],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import __p from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __p.dirname(__filename);",
  },
  logLevel: 'warning',
});
const wasmDist = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
for (const f of fs.readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) fs.copyFileSync(path.join(wasmDist, f), path.join(out, f));

const dawn = path.join(root, 'node_modules/webgpu');
const dawnOut = path.join(out, 'node_modules/webgpu');
fs.mkdirSync(path.join(dawnOut, 'dist/linux-x64'), { recursive: true });
for (const f of ['index.js', 'package.json', 'LICENSE.md']) fs.copyFileSync(path.join(dawn, f), path.join(dawnOut, f));
fs.copyFileSync(path.join(dawn, 'dist/linux-x64/dawn.node'), path.join(dawnOut, 'dist/linux-x64/dawn.node'));

// xz keeps the pack small enough to travel with a checkout (Node 99 → 24 MB, Dawn 21 → 5 MB).
execFileSync('sh', ['-c', `xz -T2 -6 -c "${process.execPath}" > "${path.join(out, 'node.xz')}"`]);
execFileSync('xz', ['-T2', '-6', path.join(dawnOut, 'dist/linux-x64/dawn.node'), path.join(out, 'bench-train.mjs')]);
// The NVIDIA Vulkan ICD is libGLX_nvidia.so.0, which needs glvnd's dispatch libraries: bare
// images lack them (seen on an H200 machine: "Could not get 'vkCreateInstance' ... Found no drivers").
execFileSync('apt-get', ['download', ...VULKAN_DEBS], { cwd: out, stdio: 'inherit' });
fs.copyFileSync(path.join(root, 'scripts/gpu-bench/run.sh'), path.join(out, 'run.sh'));
const mb = (execFileSync('du', ['-sm', out]).toString().split('\t')[0]);
console.log(`packed ${out} (${mb} MB): run \`bash ${path.relative(root, out)}/run.sh --modes wasm,webgpu --sizes 64,128\` on the GPU machine`);
