import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtModel, generateViaUi, memePixels, openApp, rgbStdDev } from './support/app';
import { openBrowser, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/server';

/**
 * The UI flow on the GPU backends (SwiftShader here: slow, so one generation each): on webgpu,
 * then the WebGPU device is lost and the worker recovers onto webgl, where the UI generates again.
 * One page load covers both backends. wasm is covered by app.e2e.test.ts.
 * The UI flow runs the spine's tiny model (?model=spine): on SwiftShader the trained default's four
 * 256 px variants take ~4 minutes, near the test timeout. The default itself is checked on webgpu
 * and webgl, pixel for pixel against Node, by parity.e2e.test.ts.
 */
const MODEL = 'spine';
let server: StaticServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await serveStatic('dist');
  browser = await openBrowser(server.url, { serviceWorkers: 'block' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the app on webgpu', () => {
  it('generates a non-blank 256×256 meme through the UI', async () => {
    const { page } = browser;
    const backend = 'webgpu';
    expect(await openApp(page, server.url, { backend, model: MODEL })).toBe(backend);
    await generateViaUi(page, '笑死我了', builtModel(MODEL).templates[0].id);
    const pixels = await memePixels(page);
    expect([pixels.width, pixels.height]).toEqual([256, 256]);
    expect(rgbStdDev(pixels)).toBeGreaterThan(10);
    expect(await page.getAttribute('.timing', 'data-backend')).toBe(backend);
  });
});

describe('a lost GPU device, then the app on webgl', () => {
  it('is told to the user, the worker recovers on webgl, and the UI generates there', async () => {
    const { page } = browser; // still on webgpu from the last test
    expect(await page.evaluate(() => window.memefaceTest!.loseDevice())).toBe(true);
    await page.waitForSelector('[data-notice="device-lost"]');
    await page.waitForSelector('[data-notice="recovered"]', { timeout: 120_000 });
    expect(await page.getAttribute('[data-status="ready"]', 'data-backend')).toBe('webgl');
    await generateViaUi(page, '好困', builtModel(MODEL).templates[0].id);
    expect(await page.getAttribute('.timing', 'data-backend')).toBe('webgl');
    expect(rgbStdDev(await memePixels(page))).toBeGreaterThan(10);
  });

  it('made no console errors and no request to another origin', () => {
    expect(browser.errors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
