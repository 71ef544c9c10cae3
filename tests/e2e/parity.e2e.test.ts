import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSmallMemeFace } from './support/small-memeface';
import { openBrowser, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/server';
import { maxAbsDiff, referenceImage, stdDev } from './support/reference';

/**
 * Graph models exported from the shared definition, loaded by the worker with tf.loadGraphModel
 * on each real backend, agree with Node's eager forward pass of the same weights: the spine's
 * tiny model, the shipped default model, and a float16 export of the real MemeFaceGenerator
 * architecture (64/128/256 stages with word attention) whose eager reference uses the same
 * (dequantised) weights.
 */
const MEMEFACE = 'e2e-memeface-parity';
const MODELS = ['spine', 'default', MEMEFACE];
const TEXT = '别说了我脸红了';
const SEEDS = [7];

let server: StaticServer;
let memefaceDir: string;
const references = new Map<string, { template: string; image: Float32Array; size: number }>();

beforeAll(async () => {
  memefaceDir = await exportSmallMemeFace('paper');
  server = await serveStatic('dist', { [`/models/${MEMEFACE}/`]: memefaceDir });
  for (const model of MODELS) {
    const manifestPath = model === MEMEFACE ? join(memefaceDir, 'manifest.json') : `public/models/${model}/manifest.json`;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const template = manifest.templates[0].id;
    const image = await referenceImage(manifestPath, TEXT, template, SEEDS);
    references.set(model, { template, image, size: Math.max(...manifest.imageSizes) });
  }
});
afterAll(async () => {
  await server?.close();
  rmSync(memefaceDir, { recursive: true, force: true });
});

describe.each(MODELS.flatMap((m) => (['webgpu', 'webgl', 'wasm'] as const).map((b) => [m, b] as const)))('%s on %s', (model, backend) => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await openBrowser(server.url);
  });
  afterAll(async () => browser?.close());

  it('renders a non-blank image that matches the Node forward pass to 1e-4', async () => {
    const { page } = browser;
    const ref = references.get(model)!;
    await page.goto(`${server.url}?backend=${backend}&model=${model}&test=1`);
    await page.waitForFunction(() => window.memefaceTest !== undefined, undefined, { timeout: 240_000 });
    const result = await page.evaluate(
      async ({ text, template, seeds }) => {
        const r = await window.memefaceTest!.generate({ text, templateId: template, seeds, includeRaw: true });
        return { backend: r.backend, raw: Array.from(r.raw!), size: r.images[0].size };
      },
      { text: TEXT, template: ref.template, seeds: SEEDS },
    );
    expect(result.backend).toBe(backend);
    expect(result.size).toBe(ref.size);
    expect(stdDev(result.raw)).toBeGreaterThan(0.05); // not blank
    expect(maxAbsDiff(result.raw, ref.image)).toBeLessThan(1e-4);
    expect(browser.errors).toEqual([]);
  });
});
