/**
 * Browser inference benchmark (npm run bench): the built site (dist/) in headless Chromium, one
 * fresh profile per backend. Prints model load, warm-up, ms per meme (text encoder, each stage,
 * total; median of RUNS single-seed generations) and the bytes a first visit transfers.
 *
 *   npx vite build && npm run bench [-- --backends wasm,webgl --runs 20 --model default]
 *
 * On a machine without a GPU, Chromium's webgpu and webgl run on SwiftShader (the CPU): those
 * figures measure correctness paths, not GPU speed.
 */
/// <reference lib="dom" />
import type {} from '../e2e/support/globals';
import { openBrowser } from '../e2e/support/browser';
import { serveStatic } from '../e2e/support/server';
import type { BackendName, GenerateResult, InitResult } from '../../workers/api';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const BACKENDS = arg('backends', 'webgpu,webgl,wasm,cpu').split(',') as BackendName[];
const RUNS = Number(arg('runs', '20'));
const MODEL = arg('model', 'default');
const TEXT = '别说了我脸红了';

interface Row {
  backend: string;
  loadMs: number;
  warmupMs: number;
  textEncoderMs: number;
  stages: { size: number; ms: number }[];
  totalMs: number;
  pageBytes: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

async function benchBackend(backend: BackendName): Promise<Row> {
  const server = await serveStatic('dist');
  // Service worker blocked: these bytes are what the page itself needs to make the first meme.
  const browser = await openBrowser(server.url, { serviceWorkers: 'block' });
  try {
    const { page } = browser;
    await page.goto(`${server.url}?backend=${backend}&model=${MODEL}&test=1`);
    await page.waitForFunction(() => window.memefaceTest !== undefined, undefined, { timeout: 600_000 });
    const init = await page.evaluate(() => window.memefaceTest!.ready.then((r: InitResult) => ({ backend: r.backend, loadMs: r.loadMs, warmupMs: r.warmupMs, template: r.model.templates[0].id })));
    if (init.backend !== backend) throw new Error(`asked for ${backend}, got ${init.backend}`);
    const pageBytes = server.bytesServed();
    const runs: GenerateResult['timings'][] = await page.evaluate(
      async ({ runs, text, template }) => {
        const out = [];
        for (let i = 0; i < runs; i++) out.push((await window.memefaceTest!.generate({ text, templateId: template, seeds: [i] })).timings);
        return out;
      },
      { runs: RUNS, text: TEXT, template: init.template },
    );
    const sizes = runs[0].stages.map((s) => s.size);
    return {
      backend,
      loadMs: init.loadMs,
      warmupMs: init.warmupMs,
      textEncoderMs: median(runs.map((r) => r.textEncoderMs)),
      stages: sizes.map((size, k) => ({ size, ms: median(runs.map((r) => r.stages[k].ms)) })),
      totalMs: median(runs.map((r) => r.totalMs)),
      pageBytes,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Everything a first visit downloads when the service worker also precaches for offline use. */
async function firstVisitWithPrecache(): Promise<number> {
  const server = await serveStatic('dist');
  const browser = await openBrowser(server.url);
  try {
    await browser.page.goto(`${server.url}?backend=wasm&model=${MODEL}`);
    await browser.page.waitForSelector('[data-offline="ready"]', { timeout: 600_000 });
    await browser.page.waitForSelector('[data-status="ready"]', { timeout: 600_000 });
    return server.bytesServed();
  } finally {
    await browser.close();
    await server.close();
  }
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
const rows: Row[] = [];
for (const b of BACKENDS) {
  try {
    rows.push(await benchBackend(b));
    console.error(`bench: ${b} done`);
  } catch (e) {
    console.error(`bench: ${b} failed: ${(e as Error).message}`);
  }
}
const precacheBytes = await firstVisitWithPrecache();
const stageSizes = rows[0]?.stages.map((s) => s.size) ?? [];
console.log(`\nmodel "${MODEL}", text "${TEXT}", batch 1, median of ${RUNS} runs; headless Chromium, ${new Date().toISOString().slice(0, 10)}\n`);
console.log(`| backend | model load ms | warm-up ms | text encoder ms | ${stageSizes.map((s) => `stage ${s} ms`).join(' | ')} | total ms | first-visit bytes (page) |`);
console.log(`|---|---|---|---|${stageSizes.map(() => '---|').join('')}---|---|`);
for (const r of rows) {
  console.log(`| ${r.backend} | ${fmt(r.loadMs)} | ${fmt(r.warmupMs)} | ${fmt(r.textEncoderMs)} | ${r.stages.map((s) => fmt(s.ms)).join(' | ')} | ${fmt(r.totalMs)} | ${mb(r.pageBytes)} |`);
}
console.log(`\nFirst visit including the offline precache (service worker on): ${mb(precacheBytes)}.`);
