import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const svelteConfig = here('./svelte.config.js');

/**
 * The entry (src/main.ts) loads the app as a chunk of its own once the
 * connection is under way. This puts that chunk and its stylesheet in the
 * page's head as preloads, so the browser fetches and compiles them while the
 * entry runs instead of after it.
 */
function preloadAppChunk(): Plugin {
  return {
    name: 'corral:preload-app-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const app = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/App.svelte'));
        if (!app || app.type !== 'chunk') throw new Error('corral:preload-app-chunk: the build has no App.svelte chunk');
        const css = [...(app.viteMetadata?.importedCss ?? [])];
        return [
          { tag: 'link', attrs: { rel: 'modulepreload', crossorigin: '', href: `/${app.fileName}` }, injectTo: 'head' },
          ...css.map((href) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: '', href: `/${href}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

export default defineConfig({
  root: here('./src'),
  publicDir: here('./static'),
  plugins: [svelte({ configFile: svelteConfig }), preloadAppChunk()],
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
