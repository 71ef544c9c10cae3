import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Flags verified on this kind of machine: WebGPU comes from SwiftShader on the CPU.
const FLAGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
  /** Requests to any origin other than `allowedOrigin`. */
  foreignRequests: string[];
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** 'block' keeps the offline service worker out (tests that intercept model requests). */
  serviceWorkers?: 'allow' | 'block';
  /** navigator.language, e.g. 'zh-CN'. */
  locale?: string;
  /** Chromium flags to add (e.g. to take the GPU away and watch the backend fallback). */
  extraArgs?: string[];
}

/** Headless Chromium with a fresh profile, recording console errors and foreign requests. */
export async function openBrowser(allowedOrigin: string, options: BrowserOptions = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'memeface-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...FLAGS, ...(options.extraArgs ?? [])],
    serviceWorkers: options.serviceWorkers ?? 'allow',
    locale: options.locale ?? 'en-US',
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const foreignRequests: string[] = [];
  const watch = (p: Page) => {
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    p.on('pageerror', (e) => errors.push(e.message));
  };
  watch(page);
  context.on('page', watch);
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(allowedOrigin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreignRequests.push(u);
  });
  return {
    context,
    page,
    errors,
    foreignRequests,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
