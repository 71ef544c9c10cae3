import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtModel, differingFraction, generateViaUi, memePixels, openApp, rgbStdDev, waitForMeme } from './support/app';
import { openBrowser, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/server';

/**
 * Bad input, each with a clear message and no crash: empty text, 500 characters, emoji and
 * script tags, a non-image upload, and a model file that fails its sha256. The service worker is
 * blocked here so route interception sees every model request.
 */
let server: StaticServer;
let browser: TestBrowser;
const model = builtModel();
const [A] = model.templates.map((t) => t.id);

beforeAll(async () => {
  server = await serveStatic('dist');
  browser = await openBrowser(server.url, { serviceWorkers: 'block' });
  await openApp(browser.page, server.url, { backend: 'wasm' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('bad input', () => {
  it('empty text: asks for a phrase and generates nothing', async () => {
    const { page } = browser;
    await page.fill('#caption-text', '   ');
    await page.click('[data-action="generate"]');
    const alert = await page.waitForSelector('[data-error="EmptyTextError"]');
    expect(await alert.textContent()).toContain('Type a short phrase');
    expect(await page.$('.result')).toBeNull();
  });

  it('500 characters: cut to the model limit with a notice, and still generates', async () => {
    const { page } = browser;
    const long = '我太难了'.repeat(125);
    await page.fill('#caption-text', long);
    expect((await page.inputValue('#caption-text')).length).toBe(500);
    await page.waitForSelector('[data-notice="truncated"]');
    expect(await page.textContent('[data-notice="truncated"]')).toMatch(/Only the first \d+ characters/);
    await page.click('[data-action="generate"]');
    await waitForMeme(page, 0);
    const caption = await page.getAttribute('.meme-canvas', 'aria-label');
    expect(Array.from(caption!.replace('Meme: ', '')).length).toBe(model.maxChars);
    expect(rgbStdDev(await memePixels(page))).toBeGreaterThan(10);
  });

  it('emoji and script tags: shown and drawn as text, never run as HTML', async () => {
    const { page } = browser;
    const evil = '😂<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
    await generateViaUi(page, evil, A);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$('img[src="x"]')).toBeNull();
    // The model reads only its first maxTokens tokens: the chips are a prefix of the text.
    const chips = await page.$$eval('.chip', (els) => els.map((e) => e.firstChild?.textContent ?? ''));
    expect(evil.replace(/\s/g, '').startsWith(chips.join(''))).toBe(true);
    expect(chips.slice(0, 2)).toEqual(['😂', '<']);
    expect(await page.$$('.chip-unk')).not.toHaveLength(0);
    expect(await page.getAttribute('.meme-canvas', 'aria-label')).toContain('😂<script>');
  });

  it('an uploaded non-image: says so and keeps the last template', async () => {
    const { page } = browser;
    await page.setInputFiles('input[name="custom-template"]', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is not a picture') });
    const alert = await page.waitForSelector('[data-error="not-image"]');
    expect(await alert.textContent()).toContain('“notes.png” is not an image');
    expect(await page.$('[data-template="custom"]')).toBeNull();
  });

  it('an uploaded picture is used as the template pattern', async () => {
    const { page } = browser;
    await generateViaUi(page, '害羞', A);
    const builtin = await memePixels(page);
    await page.setInputFiles('input[name="custom-template"]', { name: 'face.png', mimeType: 'image/png', buffer: readFileSync(`dist/models/default/${model.templates[model.templates.length - 1].patterns['256'] ?? Object.values(model.templates[model.templates.length - 1].patterns).pop()}`) });
    await page.waitForSelector('[data-template="custom"] input:checked');
    const job = Number(await page.getAttribute('.result', 'data-job'));
    await page.click('[data-action="generate"]');
    await waitForMeme(page, job);
    expect(differingFraction(builtin, await memePixels(page))).toBeGreaterThan(0.2);
    expect(await page.textContent('.share-actions')).toContain('cannot carry an uploaded picture');
  });

  it('a model file failing its sha256: a clear message, no crash', async () => {
    const { page, context } = browser;
    // The first weights file of the final model, whatever the model calls it.
    const victim = model.files.find((f) => f.startsWith('final/') && f.endsWith('.bin'))!;
    const pattern = `**/models/default/${victim}`;
    await context.route(pattern, async (route) => {
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      body[100] ^= 0xff;
      await route.fulfill({ response, body });
    });
    await page.goto(`${server.url}?backend=wasm&test=1`);
    const alert = await page.waitForSelector('.status-bar [data-error="ModelFileError"]', { timeout: 120_000 });
    const text = await alert.textContent();
    expect(text).toContain('A model file is damaged');
    expect(text).toContain(victim);
    expect(await page.isVisible('#caption-text')).toBe(true);
    await context.unroute(pattern);
  });

  it('made no console errors and no request to another origin', () => {
    expect(browser.errors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
