import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The browser application, built to static files the API serves at / (same origin). No inline
 * script ends up in the page, so the API's Content-Security-Policy (script-src 'self') holds.
 */
export default defineConfig({
  root: __dirname,
  base: '/',
  build: {
    outDir: resolve(__dirname, '../../dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
});
