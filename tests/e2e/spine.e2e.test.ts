import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/server';
import { maxAbsDiff, referenceImage, stdDev } from './support/reference';

/**
 * The spine end to end: the graph models exported from the shared definition, loaded by the
 * worker with tf.loadGraphModel on each real backend, agree with Node's eager forward pass.
 */
const MODEL = 'spine';
const TEXT = '别说了我脸红了';
const TEMPLATE = 'noto';
const SEEDS = [7];

let server: StaticServer;
let reference: Float32Array;

beforeAll(async () => {
  server = await serveStatic('dist');
  reference = await referenceImage(`public/models/${MODEL}/manifest.json`, TEXT, TEMPLATE, SEEDS);
});
afterAll(async () => server?.close());

describe.each(['webgpu', 'webgl', 'wasm'] as const)('spine on %s', (backend) => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await openBrowser(server.url);
  });
  afterAll(async () => browser?.close());

  it('renders a non-blank image that matches the Node forward pass to 1e-4', async () => {
    const { page } = browser;
    await page.goto(`${server.url}?backend=${backend}&model=${MODEL}&test=1`);
    await page.waitForFunction(() => window.memefaceTest !== undefined, undefined, { timeout: 240_000 });
    const result = await page.evaluate(
      async ({ text, template, seeds }) => {
        const r = await window.memefaceTest!.generate({ text, templateId: template, seeds, includeRaw: true });
        return { backend: r.backend, raw: Array.from(r.raw!), size: r.images[0].size };
      },
      { text: TEXT, template: TEMPLATE, seeds: SEEDS },
    );
    expect(result.backend).toBe(backend);
    expect(result.size).toBe(64);
    expect(stdDev(result.raw)).toBeGreaterThan(0.05); // not blank
    expect(maxAbsDiff(result.raw, reference)).toBeLessThan(1e-4);
    expect(browser.errors).toEqual([]);
  });
});
