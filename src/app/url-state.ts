import type { BackendName } from '../../workers/api';
import { BACKEND_ORDER } from '../../workers/api';

/** What the URL can say: ?backend=&model=&text=&template=&seed=&test=1 */
export interface UrlState {
  backend?: BackendName;
  model: string;
  text?: string;
  template?: string;
  seed?: number;
  test: boolean;
}

export function readUrlState(search = window.location.search): UrlState {
  const q = new URLSearchParams(search);
  const backend = q.get('backend') as BackendName | null;
  const seed = q.get('seed');
  return {
    backend: backend && BACKEND_ORDER.includes(backend) ? backend : undefined,
    model: q.get('model') ?? 'default',
    text: q.get('text') ?? undefined,
    template: q.get('template') ?? undefined,
    seed: seed !== null && /^\d+$/.test(seed) ? Number(seed) : undefined,
    test: q.get('test') === '1',
  };
}

export function manifestUrl(model: string): string {
  // Only our own model folders: a name, never a URL to another origin.
  const safe = /^[a-z0-9_-]+$/i.test(model) ? model : 'default';
  return new URL(`models/${safe}/manifest.json`, document.baseURI).href;
}
