/**
 * Markdown streaming benchmark (`npm run bench`): figures, not a timed test.
 *
 * A 50,000-character answer (test/bench/markdown-answer.ts) through the real
 * render path — `MarkdownView` mounted in jsdom, markdown → sanitized HTML →
 * DOM — once at once, and streamed as 2,000 deltas with a synchronous flush
 * after each, as a live transcript row gets them. The bar: streaming costs
 * less than 2× rendering at once. Also prints the longest single step (a
 * long task is > 50 ms).
 *
 * Then highlighting (tokenize.ts, the work the highlight worker does): the
 * first block in a language (loading shiki and the grammar, compiling its
 * regexes), and the steady cost per KB of TypeScript.
 */
import { it } from 'vitest';
import { tokenize } from '../../src/lib/highlight/tokenize';
import { makeAnswer } from './markdown-answer';
import { mountMarkdown } from './markdown-host.svelte';

const CHARS = 50_000;
const DELTAS = 2_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Every run gets its own text, so no cache from an earlier run answers it. */
let runs = 0;
const freshAnswer = () => makeAnswer(CHARS, `Run ${++runs}.`);

function renderAtOnce(): number {
  const text = freshAnswer();
  const started = performance.now();
  const view = mountMarkdown(text);
  const elapsed = performance.now() - started;
  view.destroy();
  return elapsed;
}

function renderStreamed(): { totalMs: number; longestStepMs: number } {
  const text = freshAnswer();
  const step = Math.ceil(text.length / DELTAS);
  let longestStepMs = 0;
  const started = performance.now();
  const view = mountMarkdown('');
  for (let end = step; end < text.length + step; end += step) {
    const t = performance.now();
    view.show(text.slice(0, end));
    longestStepMs = Math.max(longestStepMs, performance.now() - t);
  }
  const totalMs = performance.now() - started;
  if (!view.target.textContent?.includes('Step 1:')) throw new Error('the streamed answer did not render');
  view.destroy();
  return { totalMs, longestStepMs };
}

it('markdown: a 50,000-character answer streamed as 2,000 deltas vs rendered at once', () => {
  for (let i = 0; i < 3; i++) renderAtOnce(); // JIT warm-up
  renderStreamed();

  const onceMs = median(Array.from({ length: 7 }, renderAtOnce));
  const streamed = Array.from({ length: 3 }, renderStreamed);
  const streamedMs = median(streamed.map((s) => s.totalMs));
  const longestStepMs = Math.max(...streamed.map((s) => s.longestStepMs));
  const ratio = streamedMs / onceMs;

  console.log([
    '',
    `Markdown: ${CHARS.toLocaleString('en-US')} characters through MarkdownView (marked + DOMPurify + DOM)`,
    `  rendered at once (median of 7):      ${ms(onceMs)}`,
    `  streamed as ${DELTAS.toLocaleString('en-US')} deltas (median of 3): ${ms(streamedMs)}`,
    `  ratio:                               ${ratio.toFixed(2)}x  (goal: < 2x) ${ratio < 2 ? 'OK' : 'ABOVE THE GOAL'}`,
    `  longest single step:                 ${ms(longestStepMs)}  (a long task is > 50 ms) ${longestStepMs <= 50 ? 'OK' : 'LONG TASK'}`,
    '',
  ].join('\n'));
}, 900_000);

it('highlighting: first block in a language, and cost per KB', async () => {
  const source = 'export function total(items: { price: number; qty: number }[]): number {\n  // the sum of price × quantity\n  return items.reduce((sum, i) => sum + i.price * i.qty, 0);\n}\n';
  let started = performance.now();
  await tokenize(source, 'typescript');
  const firstMs = performance.now() - started;
  const big = source.repeat(Math.ceil(32_768 / source.length));
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    started = performance.now();
    await tokenize(big + i, 'typescript');
    runs.push(performance.now() - started);
  }
  const perKbMs = median(runs) / (big.length / 1024);
  console.log([
    '',
    'Highlighting (shiki, JavaScript regex engine; runs in the highlight worker in the app)',
    `  first TypeScript block (load shiki + grammar, compile): ${ms(firstMs)}`,
    `  TypeScript, ${(big.length / 1024).toFixed(0)} KB (median of 5):          ${ms(median(runs))}  = ${perKbMs.toFixed(2)} ms/KB`,
    '',
  ].join('\n'));
}, 600_000);
