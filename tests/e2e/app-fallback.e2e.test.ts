import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtModel, generateViaUi, memePixels, rgbStdDev, waitReady } from './support/app';
import { openBrowser, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/server';

/**
 * A browser without any GPU (software rendering off too): WebGPU and WebGL both fail, the app
 * falls back to wasm and says so, in the UI language (zh here, from the browser's locale).
 */
let server: StaticServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await serveStatic('dist');
  browser = await openBrowser(server.url, {
    serviceWorkers: 'block',
    locale: 'zh-CN',
    extraArgs: ['--disable-gpu', '--disable-software-rasterizer', '--disable-features=Vulkan,WebGPUService'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('no GPU at all', () => {
  it('falls back to wasm, tells the user why, in Chinese, and still makes memes', async () => {
    const { page } = browser;
    await page.goto(`${server.url}?test=1`);
    const backend = await waitReady(page);
    expect(['wasm', 'cpu']).toContain(backend);
    const notices = await page.$$eval('[data-notice="fallback"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(notices.some((n) => n.includes('webgpu') && n.includes('不可用'))).toBe(true);
    expect(notices.some((n) => n.includes('webgl'))).toBe(true);
    expect(await page.textContent('[data-action="generate"]')).toContain('生成');
    expect(await page.inputValue('select[name="backend"]')).toBe('');
    await generateViaUi(page, '躺平', builtModel().templates[0].id);
    expect(rgbStdDev(await memePixels(page))).toBeGreaterThan(10);
  });

  it('the backend setting reloads the page onto the chosen backend (?backend=)', async () => {
    const { page } = browser;
    await Promise.all([page.waitForURL(/backend=cpu/), page.selectOption('select[name="backend"]', 'cpu')]);
    expect(await waitReady(page)).toBe('cpu');
    expect(await page.inputValue('select[name="backend"]')).toBe('cpu');
  });

  it('made no console errors and no request to another origin', () => {
    expect(browser.errors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
