import { registerSW } from 'virtual:pwa-register';

export type OfflineState = 'pending' | 'ready' | 'unsupported';

let state: OfflineState = 'pending';
const listeners = new Set<(s: OfflineState) => void>();
const set = (s: OfflineState) => {
  state = s;
  for (const l of listeners) l(s);
};

/**
 * Registers the versioned service worker (vite-plugin-pwa). The site is available offline once a
 * worker is active: workbox activates it only after every precached file is stored.
 */
export function startOfflineSupport(): void {
  if (!('serviceWorker' in navigator)) {
    set('unsupported');
    return;
  }
  registerSW({
    immediate: true,
    onOfflineReady: () => set('ready'),
    onRegisterError: () => set('unsupported'),
  });
  void navigator.serviceWorker.ready.then(() => set('ready'));
}

export function offlineState(): OfflineState {
  return state;
}

export function onOfflineState(l: (s: OfflineState) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
