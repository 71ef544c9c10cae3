import type { BackendName } from '../../workers/api';
import { BACKEND_ORDER } from '../../workers/api';

/** What the URL can say: ?backend=&model=&text=&template=&seed=&v=&lang=&test=1 */
export interface UrlState {
  backend?: BackendName;
  model: string;
  text?: string;
  template?: string;
  /** Base seed of the variant batch. */
  seed?: number;
  /** Which variant of the batch a share link points at. */
  variant: number;
  test: boolean;
}

export const MAX_SEED = 2 ** 31 - 1;

export function readUrlState(search = window.location.search): UrlState {
  const q = new URLSearchParams(search);
  const backend = q.get('backend') as BackendName | null;
  const seed = q.get('seed');
  const v = Number(q.get('v') ?? 0);
  return {
    backend: backend && BACKEND_ORDER.includes(backend) ? backend : undefined,
    model: q.get('model') ?? 'default',
    text: q.get('text') ?? undefined,
    template: q.get('template') ?? undefined,
    seed: seed !== null && /^\d{1,10}$/.test(seed) && Number(seed) <= MAX_SEED ? Number(seed) : undefined,
    variant: Number.isInteger(v) && v >= 0 && v < 8 ? v : 0,
    test: q.get('test') === '1',
  };
}

export function manifestUrl(model: string): string {
  // Only our own model folders: a name, never a URL to another origin.
  const safe = /^[a-z0-9_-]+$/i.test(model) ? model : 'default';
  return new URL(`models/${safe}/manifest.json`, document.baseURI).href;
}

/**
 * A link that reproduces a meme: the same text, template, seed batch and variant give the same
 * pixels. The model and a forced backend travel too, since both change the pixels.
 */
export function shareUrl(s: { text: string; template: string; seed: number; variant: number }, base: UrlState): string {
  const u = new URL(window.location.href);
  u.hash = '';
  u.search = '';
  if (base.model !== 'default') u.searchParams.set('model', base.model);
  if (base.backend) u.searchParams.set('backend', base.backend);
  u.searchParams.set('text', s.text);
  u.searchParams.set('template', s.template);
  u.searchParams.set('seed', String(s.seed));
  if (s.variant) u.searchParams.set('v', String(s.variant));
  return u.href;
}

/** The same page with another backend forced (the settings control reloads into it). */
export function urlWithBackend(backend: BackendName | undefined): string {
  const u = new URL(window.location.href);
  if (backend) u.searchParams.set('backend', backend);
  else u.searchParams.delete('backend');
  return u.href;
}

export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] % MAX_SEED;
}
