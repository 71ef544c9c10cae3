import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// A static site: relative base so it can be served from any folder; the worker is an ES module
// so tfjs, the wasm backends and jieba are bundled into the worker chunk only.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['jieba-wasm'] },
  build: {
    target: 'es2022',
    manifest: true,
    chunkSizeWarningLimit: 4096,
  },
  preview: { host: '127.0.0.1' },
});
