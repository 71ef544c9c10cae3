import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
// Licence files another part of the build writes into public/licenses: listed at build time so the
// licences page fetches only files that exist (a 404 would be a console error in the page).
const licenseFiles = existsSync('public/licenses')
  ? readdirSync('public/licenses').filter((f) => /\.(json|md|txt)$/i.test(f)).sort()
  : [];

// A static site: relative base so it can be served from any folder; the worker is an ES module
// so tfjs, the wasm backends and jieba are bundled into the worker chunk only.
export default defineConfig({
  base: './',
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    __LICENSE_FILES__: JSON.stringify(licenseFiles),
  },
  plugins: [
    react(),
    // The offline service worker: precaches the app, every model folder, the wasm files and the
    // caption font. Its cache name carries the app version; workbox revisions each file by hash.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'MemeFace',
        short_name: 'MemeFace',
        description: 'Type a phrase, get a meme-face made by a GAN on your own GPU, offline.',
        theme_color: '#e5533d',
        background_color: '#fafafa',
        display: 'standalone',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        cacheId: `memeface-v${pkg.version}`,
        // The favicon and web manifest are added by the plugin itself (listing them twice conflicts).
        globPatterns: ['**/*.{js,css,html,wasm,json,bin,png,woff2,txt,md}'],
        // jieba's wasm (4 MB) and the worker chunk are above workbox's 2 MiB default, which would
        // silently leave them out and break offline use.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['jieba-wasm'] },
  build: {
    target: 'es2022',
    manifest: true,
    chunkSizeWarningLimit: 4096,
  },
  preview: { host: '127.0.0.1' },
});
