// The console's build: console/ → dist/console, served by the API under /console. Preact's JSX through
// Vite's own transform (no plugin); `npm run console:dev` proxies /v1 to a running API on :3000.
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/console'),
    emptyOutDir: true,
    // Inline assets would be data: URLs; keep every file a file, as the Content-Security-Policy expects.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { proxy: { '/v1': 'http://localhost:3000' } },
});
