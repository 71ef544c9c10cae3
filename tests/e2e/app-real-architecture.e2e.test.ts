import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSmallMemeFace } from './support/small-memeface';
import { generateViaUi, memePixels, openApp, rgbStdDev } from './support/app';
import { openBrowser, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/server';

/**
 * The app on the real MemeFaceGenerator architecture (a random-weight export: 64/128/256 stages,
 * word attention attn_128/attn_256), picked with ?model= and no code change: every stage shows,
 * the meme is drawn from the 256 px image, and the attention panel has one heatmap per word.
 */
const MODEL = 'e2e-memeface';
let modelDir: string;
let server: StaticServer;
let browser: TestBrowser;

beforeAll(async () => {
  modelDir = await exportSmallMemeFace('improved');
  server = await serveStatic('dist', { [`/models/${MODEL}/`]: modelDir });
  browser = await openBrowser(server.url, { serviceWorkers: 'block' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(modelDir, { recursive: true, force: true });
});

describe('the real architecture (random weights)', () => {
  it('shows the 64, 128 and 256 px stages and a 256×256 meme from the last one', async () => {
    const { page } = browser;
    expect(await openApp(page, server.url, { backend: 'wasm', model: MODEL })).toBe('wasm');
    await generateViaUi(page, '别说了我脸红了', 'twemoji');
    expect(await page.$$eval('.stage-strip li[data-done="true"]', (els) => els.map((e) => e.getAttribute('data-stage')))).toEqual(['64', '128', '256']);
    expect(await page.getAttribute('.meme-canvas', 'data-size')).toBe('256');
    const pixels = await memePixels(page);
    expect([pixels.width, pixels.height]).toEqual([256, 256]);
    expect(rgbStdDev(pixels)).toBeGreaterThan(10);
  });

  it('shows one attention heatmap per word over the 128 and 256 px images', async () => {
    const { page } = browser;
    const words = await page.$$eval('.chip', (els) => els.length);
    const rows = await page.$$eval('.attention-row', (els) => els.map((e) => [e.getAttribute('data-size'), e.querySelectorAll('canvas').length]));
    expect(rows).toEqual([
      ['128', words],
      ['256', words],
    ]);
  });

  it('runs the timeline through its checkpoint', async () => {
    const { page } = browser;
    await page.click('[data-action="timeline"]');
    await page.waitForSelector('.timeline[data-state="done"]', { timeout: 120_000 });
    expect(await page.$$eval('.timeline-images canvas', (els) => els.length)).toBe(1);
  });

  it('made no console errors and no request to another origin', () => {
    expect(browser.errors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
