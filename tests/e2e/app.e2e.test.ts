import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtModel, differingFraction, generateViaUi, memePixels, openApp, rgbStdDev, waitForMeme, waitReady, type CanvasPixels } from './support/app';
import { openBrowser, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/server';

/**
 * The app as a user drives it, on wasm (the fast backend here), in one shared browser:
 * generate, compare, download, copy, share, timeline, memory, languages, licences.
 * The tests run in order and build on each other's page state.
 */
let server: StaticServer;
let browser: TestBrowser;
let first: CanvasPixels;
// Template ids come from the built model, so the tests survive the trained model's arrival.
const model = builtModel();
const [A, B] = model.templates.map((t) => t.id);

beforeAll(async () => {
  server = await serveStatic('dist');
  browser = await openBrowser(server.url);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the app on wasm', () => {
  it('loads, says which backend it runs on, and generates a non-blank 256×256 meme', async () => {
    const { page } = browser;
    expect(await openApp(page, server.url, { backend: 'wasm' })).toBe('wasm');
    await generateViaUi(page, '别说了我脸红了', A);
    first = await memePixels(page);
    expect([first.width, first.height]).toEqual([256, 256]);
    expect(rgbStdDev(first)).toBeGreaterThan(10);
    const chips = await page.$$eval('.chip', (els) => els.map((e) => [e.textContent, (e as HTMLElement).dataset.source]));
    expect(chips.map((c) => c[0]).join('')).toBe('别说了我脸红了');
    expect(chips.every((c) => ['word', 'char', 'unk'].includes(c[1]!))).toBe(true);
    expect(await page.$$eval('.variant canvas', (els) => els.length)).toBe(4);
  });

  it('gives different pixels for another template and for another text', async () => {
    const { page } = browser;
    await generateViaUi(page, '别说了我脸红了', B);
    const otherTemplate = await memePixels(page);
    expect(differingFraction(first, otherTemplate)).toBeGreaterThan(0.2);
    await generateViaUi(page, '打工人', A);
    const otherText = await memePixels(page);
    expect(differingFraction(first, otherText)).toBeGreaterThan(0.05);
    expect(await page.$$eval('.chip', (els) => els.map((e) => e.firstChild?.textContent).join(''))).toBe('打工人');
  });

  it('template picker: search filters, arrow keys move the selection', async () => {
    const { page } = browser;
    const last = model.templates[model.templates.length - 1];
    await page.fill('.template-search', last.name.en.toUpperCase());
    const shown = await page.$$eval('.template-grid [data-template]', (els) => els.map((e) => e.getAttribute('data-template')));
    expect(shown).toContain(last.id);
    expect(shown.length).toBeLessThan(model.templates.length);
    await page.fill('.template-search', '');
    await page.focus(`[data-template="${A}"] input`);
    await page.keyboard.press('ArrowRight');
    expect(await page.isChecked(`[data-template="${B}"] input`)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.closest('[data-template]')?.getAttribute('data-template'))).toBe(B);
  });

  it('downloads the meme as a 256×256 PNG with the canvas pixels', async () => {
    const { page } = browser;
    await generateViaUi(page, '别说了我脸红了', A);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="download"]')]);
    expect(download.suggestedFilename()).toMatch(/^memeface-.*\.png$/);
    const png = PNG.sync.read(readFileSync((await download.path())!));
    expect([png.width, png.height]).toEqual([256, 256]);
    expect(differingFraction({ width: 256, height: 256, rgba: Array.from(png.data) }, first)).toBe(0);
  });

  it('copies the meme to the clipboard as image/png', async () => {
    const { page } = browser;
    await page.click('[data-action="copy"]');
    await page.waitForSelector('.share-actions .feedback:not(:empty)');
    const copied = await page.evaluate(async () => {
      const items = await navigator.clipboard.read();
      const blob = await items[0].getType('image/png');
      const bmp = await createImageBitmap(blob);
      return { types: items[0].types, width: bmp.width, height: bmp.height };
    });
    expect(copied).toEqual({ types: ['image/png'], width: 256, height: 256 });
  });

  it('makes a share link that reproduces identical pixels', async () => {
    const { page, context } = browser;
    await page.click('.variant:nth-of-type(3)');
    await page.waitForFunction(() => /^\d+:\d+:2:/.test(document.querySelector<HTMLCanvasElement>('.meme-canvas')?.dataset.drawn ?? ''));
    const shown = await memePixels(page);
    const link = await page.inputValue('input[name="share-link"]');
    expect(link).toContain('text=');
    expect(link).toContain(`template=${A}`);
    expect(link).toContain('seed=7');
    const other = await context.newPage();
    await other.goto(link);
    await waitReady(other);
    await waitForMeme(other);
    expect(differingFraction(await memePixels(other), shown)).toBe(0);
    await other.close();
  });

  it('runs the text through every checkpoint, one image each, with a system log', async () => {
    const { page } = browser;
    const checkpoints = await page.evaluate(async () => (await window.memefaceTest!.ready).model.checkpoints.length);
    await page.click('[data-action="timeline"]');
    await page.waitForSelector('.timeline[data-state="done"]', { timeout: 120_000 });
    expect(await page.$$eval('.timeline-images canvas', (els) => els.length)).toBe(checkpoints);
    const log = await page.textContent('.system-log pre');
    expect(log!.split('\n')).toHaveLength(checkpoints);
    expect(log).toMatch(/\+\d+ ms · epoch \d+ · step \d+ · wasm · \d+ ms/);
    // A checkpoint drawn with other model settings than the final model (a warm start's source) says so.
    const settings = await page.evaluate(async () => (await window.memefaceTest!.ready).model.checkpoints.map((c) => c.settings.join(', ')));
    log!.split('\n').forEach((row, i) => expect(row.endsWith(settings[i] ? ` ms · ${settings[i]}` : ' ms')).toBe(true));
  });

  it('hides the attention panel for a model without attention outputs', async () => {
    const { page } = browser;
    const sizes = await page.evaluate(async () => (await window.memefaceTest!.ready).model.attentionSizes);
    expect(await page.$$('.attention')).toHaveLength(sizes.length ? 1 : 0);
  });

  it('keeps the worker tensor count flat over repeated generation', async () => {
    const { page } = browser;
    const counts = await page.evaluate(async ({ template, checkpoints }) => {
      const t = window.memefaceTest!;
      const out: number[] = [await t.numTensors()];
      for (let i = 0; i < 6; i++) {
        const r = await t.generate({ text: '笑死我了', templateId: template, seeds: [i, i + 1], checkpoint: i % 2 && checkpoints ? 0 : undefined });
        await r.images[0].rgba.length;
        out.push(await t.numTensors());
      }
      return out;
    }, { template: B, checkpoints: model.checkpoints });
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[counts.length - 1]).toBe(counts[0]);
  });

  it('switches language and shows the licences page with the font and emoji attributions', async () => {
    const { page } = browser;
    await page.click('.lang-switch button[lang="zh"]');
    expect(await page.textContent('[data-action="generate"]')).toContain('生成');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.click('a[href="#licenses"] >> nth=0');
    await page.waitForSelector('[data-license="font"]');
    expect(await page.textContent('[data-license="font"]')).toContain('SIL Open Font License');
    expect(await page.$$('[data-license="emoji"]')).not.toHaveLength(0);
    await page.click('.lang-switch button[lang="en"]');
  });

  it('made no console errors and no request to another origin', () => {
    expect(browser.errors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
