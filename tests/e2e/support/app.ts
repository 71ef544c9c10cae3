import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** Ready on a backend: the status line says so (the worker loaded and warmed up the model). */
export async function waitReady(page: Page, timeout = 240_000): Promise<string> {
  await page.waitForSelector('[data-status="ready"]', { timeout });
  return (await page.getAttribute('[data-status="ready"]', 'data-backend')) ?? '';
}

export async function openApp(page: Page, baseUrl: string, params: Record<string, string> = {}): Promise<string> {
  const q = new URLSearchParams({ test: '1', ...params });
  await page.goto(`${baseUrl}?${q}`);
  return waitReady(page);
}

/** Types the caption, picks a template by id and presses Generate, as a user would. */
export async function generateViaUi(page: Page, text: string, template?: string): Promise<void> {
  await page.fill('#caption-text', text);
  // Click the thumbnail (the label), as a user does; the radio inside it is visually hidden.
  if (template) await page.click(`[data-template="${template}"]`);
  const after = await currentJob(page);
  await page.click('[data-action="generate"]');
  await waitForMeme(page, after);
}

/** The job number on screen now, 0 before the first (never waits for a result to appear). */
async function currentJob(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.querySelector<HTMLElement>('.result')?.dataset.job ?? 0));
}

/**
 * Waits until a generation newer than job `after` is done and the meme canvas shows its final
 * stage with the caption (stale pixels of an earlier job never count).
 */
export async function waitForMeme(page: Page, after = 0, timeout = 240_000): Promise<void> {
  await page.waitForFunction(
    (after) => {
      const result = document.querySelector<HTMLElement>('.result');
      const c = document.querySelector<HTMLCanvasElement>('.meme-canvas');
      if (!result || !c || result.dataset.state !== 'done' || Number(result.dataset.job) <= after) return false;
      const done = document.querySelectorAll('.stage-strip li[data-done="true"]').length;
      const all = document.querySelectorAll('.stage-strip li').length;
      return done === all && c.dataset.drawn!.startsWith(`${result.dataset.job}:${c.dataset.size}:`);
    },
    after,
    { timeout },
  );
}

export interface CanvasPixels {
  width: number;
  height: number;
  rgba: number[];
}

export async function memePixels(page: Page): Promise<CanvasPixels> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('.meme-canvas')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    return { width: c.width, height: c.height, rgba: Array.from(d.data) };
  });
}

/** Fraction of bytes that differ between two same-size images. */
export function differingFraction(a: CanvasPixels, b: CanvasPixels): number {
  if (a.rgba.length !== b.rgba.length) return 1;
  let n = 0;
  for (let i = 0; i < a.rgba.length; i++) if (a.rgba[i] !== b.rgba[i]) n++;
  return n / a.rgba.length;
}

/** Standard deviation of the RGB channels: near 0 means a blank image. */
export function rgbStdDev(p: CanvasPixels): number {
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let i = 0; i < p.rgba.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      s += p.rgba[i + c];
      s2 += p.rgba[i + c] ** 2;
      n++;
    }
  }
  const mean = s / n;
  return Math.sqrt(Math.max(0, s2 / n - mean * mean));
}

export interface BuiltModel {
  templates: { id: string; name: { zh: string; en: string }; patterns: Record<string, string> }[];
  maxChars: number;
  maxTokens: number;
  checkpoints: number;
  /** Paths (relative to the manifest) of every file the manifest lists. */
  files: string[];
}

/**
 * The default model as built into dist/: tests pick templates and limits from it, so they keep
 * passing when the trained model (other templates, vocabulary and limits) replaces the spine's.
 */
export function builtModel(name = 'default'): BuiltModel {
  const m = JSON.parse(readFileSync(`dist/models/${name}/manifest.json`, 'utf8'));
  return { templates: m.templates, maxChars: m.tokenizer.settings.maxChars, maxTokens: m.tokenizer.settings.maxTokens, checkpoints: m.checkpoints.length, files: m.files.map((f: { path: string }) => f.path) };
}
