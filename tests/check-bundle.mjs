// Build check: tfjs and jieba must live only in the worker chunk, never in the UI bundle.
// It also checks the markers ARE found in the worker chunk, so the check itself cannot go blind.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ASSETS = 'dist/assets';
const MARKERS = {
  tfjs: ['WEBGL_VERSION', 'registerKernel', 'WEBGPU_'],
  jieba: ['jieba_rs_wasm', '__wbindgen'],
};

const js = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
const workerChunks = js.filter((f) => f.includes('.worker'));
const uiChunks = js.filter((f) => !workerChunks.includes(f));
const read = (f) => readFileSync(join(ASSETS, f), 'utf8');
const found = (src, list) => list.filter((m) => src.includes(m));

let failed = false;
const fail = (msg) => {
  console.error(`bundle check: ${msg}`);
  failed = true;
};
if (!workerChunks.length) fail('no worker chunk was built');
if (!uiChunks.length) fail('no UI chunk was built');
for (const f of uiChunks) {
  const src = read(f);
  for (const [lib, list] of Object.entries(MARKERS)) {
    const hits = found(src, list);
    if (hits.length) fail(`UI chunk ${f} contains ${lib} (${hits.join(', ')}). The UI must reach it only through workers/api.ts.`);
  }
}
const workerSrc = workerChunks.map(read).join('\n');
for (const [lib, list] of Object.entries(MARKERS)) {
  if (!found(workerSrc, list).length) fail(`worker chunk lacks every ${lib} marker: the markers are stale, update MARKERS.`);
}
if (failed) process.exit(1);
console.log(`bundle check: ${uiChunks.length} UI chunk(s) free of tfjs and jieba; ${workerChunks.length} worker chunk(s) hold them.`);
