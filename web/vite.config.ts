/**
 * The console's build: `vite build --config web/vite.config.ts` writes dist/web, which
 * `esq serve` serves under /console/ (src/server/console/). No CDN: every asset is bundled.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  // The web/ folder, wherever the build is started from.
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [preact()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be an inline script, which the console's CSP (script-src 'self') refuses.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
