import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const svelteConfig = here('./svelte.config.js');

export default defineConfig({
  root: here('./src'),
  publicDir: here('./static'),
  plugins: [svelte({ configFile: svelteConfig })],
  build: { outDir: here('./dist'), emptyOutDir: true },
  // The highlight worker loads shiki's grammars as chunks: only ES module workers can split code.
  worker: { format: 'es' },
  test: {
    root: here('.'),
    projects: [
      {
        plugins: [svelte({ configFile: svelteConfig }), svelteTesting()],
        test: { name: 'ui', environment: 'jsdom', include: ['src/**/*.test.ts'] },
      },
      // `npm run bench` only: figures, not a test, and slow on purpose (the reference store is quadratic).
      // search.bench.ts needs bun:sqlite, so `npm run bench` runs it on Bun after these.
      ...(process.env.CORRAL_BENCH
        ? [{ plugins: [svelte({ configFile: svelteConfig }), svelteTesting()], test: { name: 'bench', environment: 'jsdom', include: ['test/bench/**/*.bench.ts'], exclude: ['test/bench/search.bench.ts'] } }]
        : []),
    ],
  },
});
