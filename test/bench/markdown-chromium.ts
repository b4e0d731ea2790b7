/**
 * Markdown streaming benchmark in Chromium (issue 10 part 3, issue 12): a
 * 50,000-character answer (test/bench/markdown-answer.ts) through the real
 * `MarkdownView` — marked, DOMPurify, the DOM, style, layout and paint —
 * rendered at once, and streamed as 2,000 deltas, each in its own task as it
 * is when it arrives over RPC, as fast as they come. Each side is measured as
 * the page's main-thread task time (CDP `Performance.getMetrics`). The page
 * is test/bench/markdown-page, built here with the app's Svelte plugin.
 *
 * Goals: streaming costs less than 2x rendering at once; no delta takes a
 * long task (> 50 ms), nor does the page record one while streaming.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';
import { openBrowser, scratch } from '../e2e/harness';
import { longTasksSince, observeLongTasks } from './page-probes';
import { median, ms, times, type Figure } from './report';

const here = (p: string) => new URL(p, import.meta.url).pathname;
const RATIO_GOAL = 2;
const LONG_TASK_MS = 50;

/** What the markdown benchmark measured: main-thread task time, ms (medians), and long tasks seen while streaming. */
export type MarkdownRun = { chars: number; deltas: number; onceMs: number; streamedMs: number; longestStepMs: number; longTasks: number; longestTaskMs: number };

type PageBench = { once(): Promise<void>; streamed(): Promise<number>; chars: number; deltas: number };

/** Builds the page, opens it in Chromium and runs the benchmark: 7 one-shot renders, 3 streams (after a warm-up of each). */
export async function benchMarkdown(): Promise<MarkdownRun> {
  const out = scratch('bench-markdown');
  try {
    await build({
      root: here('./markdown-page'),
      configFile: false,
      logLevel: 'warn',
      plugins: [svelte({ configFile: here('../../svelte.config.js') })],
      worker: { format: 'es' },
      build: { outDir: out, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
    });
    const server = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: (req) => {
        const path = new URL(req.url).pathname;
        const file = Bun.file(join(out, path === '/' ? 'index.html' : path));
        return file.size ? new Response(file) : new Response('not found', { status: 404 });
      },
    });
    const browser = await openBrowser();
    try {
      const { page } = browser;
      await observeLongTasks(page);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const taskMs = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        return 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN);
      };
      await page.goto(`http://127.0.0.1:${server.port}/`);
      await page.waitForFunction(() => '__markdownBench' in window);
      const call = <T>(fn: (b: PageBench) => Promise<T>) => page.evaluate(`(${fn.toString()})(window.__markdownBench)`) as Promise<T>;
      /** Runs `fn` in the page; its main-thread task time, ms, and its result. */
      const timed = async <T>(fn: (b: PageBench) => Promise<T>) => {
        const before = await taskMs();
        const result = await call(fn);
        return { ms: (await taskMs()) - before, result };
      };

      for (let i = 0; i < 3; i++) await call((b) => b.once()); // JIT warm-up
      await call((b) => b.streamed());
      const onces: number[] = [];
      for (let i = 0; i < 7; i++) onces.push((await timed((b) => b.once())).ms);
      const since = await page.evaluate(() => performance.now());
      const streams: { ms: number; result: number }[] = [];
      for (let i = 0; i < 3; i++) streams.push(await timed((b) => b.streamed()));
      const tasks = await longTasksSince(page, since);
      const sizes = await page.evaluate(`({ chars: window.__markdownBench.chars, deltas: window.__markdownBench.deltas })`) as { chars: number; deltas: number };
      return {
        ...sizes,
        onceMs: median(onces),
        streamedMs: median(streams.map((s) => s.ms)),
        longestStepMs: Math.max(...streams.map((s) => s.result)),
        longTasks: tasks.length,
        longestTaskMs: Math.max(0, ...tasks.map((t) => t.durationMs)),
      };
    } finally {
      await browser.close();
      server.stop(true);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The printed figures, with the goals of issue 10 / 12. */
export function markdownFigures(run: MarkdownRun): Figure[] {
  const ratio = run.streamedMs / run.onceMs;
  return [
    { label: 'main-thread time, rendered at once (median of 7)', value: ms(run.onceMs) },
    { label: `main-thread time, streamed as ${run.deltas.toLocaleString('en-US')} deltas (median of 3)`, value: ms(run.streamedMs) },
    { label: 'streamed / at once', value: times(ratio), goal: `< ${RATIO_GOAL}x`, met: ratio < RATIO_GOAL },
    { label: 'longest delta', value: ms(run.longestStepMs), goal: `<= ${LONG_TASK_MS} ms`, met: run.longestStepMs <= LONG_TASK_MS },
    { label: 'long tasks while streaming', value: `${run.longTasks} (longest ${ms(run.longestTaskMs)})`, goal: 'none', met: run.longTasks === 0 },
  ];
}
