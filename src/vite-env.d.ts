/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/vanillajs" />

/** package.json's version, injected by vite.config.ts. */
declare const __APP_VERSION__: string;
/** File names under public/licenses/ at build time. */
declare const __LICENSE_FILES__: string[];
