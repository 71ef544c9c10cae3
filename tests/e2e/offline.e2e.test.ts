import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtModel, generateViaUi, memePixels, rgbStdDev, waitReady } from './support/app';
import { openBrowser, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/server';

/**
 * Offline: after one visit the service worker holds the app, models, wasm and font; with the
 * server stopped the whole flow still works. The port stays the same (same origin, same cache).
 */
let server: StaticServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await serveStatic('dist');
  browser = await openBrowser(server.url);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('offline after the first visit', () => {
  it('says "available offline" once the service worker has stored everything', async () => {
    const { page } = browser;
    await page.goto(`${server.url}?backend=wasm`);
    await waitReady(page);
    await page.waitForSelector('[data-offline="ready"]', { timeout: 120_000 });
    expect(await page.textContent('[data-offline="ready"]')).toContain('Available offline');
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const n of names) for (const r of await (await caches.open(n)).keys()) urls.push(new URL(r.url).pathname);
      return { names, urls };
    });
    expect(cached.names.some((n) => n.includes('memeface-v'))).toBe(true);
    for (const want of [/\.wasm$/, /models\/default\/manifest\.json$/, /models\/default\/final\/.*\.bin$/, /fonts\/zcool-kuaile-common\.woff2$/, /meme\.worker-.*\.js$/, /index\.html$/]) {
      expect(cached.urls.some((u) => want.test(u)), String(want)).toBe(true);
    }
  });

  it('runs the whole flow with the server stopped', async () => {
    const { page } = browser;
    await server.close();
    const before = server.requests.length;
    await page.goto(`${server.url}?backend=wasm`);
    expect(await waitReady(page)).toBe('wasm');
    await generateViaUi(page, '别说了我脸红了', builtModel().templates[0].id);
    const pixels = await memePixels(page);
    expect([pixels.width, pixels.height]).toEqual([256, 256]);
    expect(rgbStdDev(pixels)).toBeGreaterThan(10);
    expect(await page.textContent('[data-offline]')).toContain('Available offline');
    expect(server.requests.length).toBe(before);
  });

  it('made no console errors and no request to another origin', () => {
    expect(browser.errors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
