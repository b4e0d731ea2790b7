/**
 * Highlighting benchmark (`npm run bench`): figures, not a timed test. The
 * work the highlight worker does (tokenize.ts): the first block in a
 * language (loading shiki and the grammar, compiling its regexes), and the
 * steady cost per KB of TypeScript. Markdown streaming is measured in
 * Chromium (markdown-chromium.ts), where layout and paint are real.
 */
import { it } from 'vitest';
import { tokenize } from '../../src/lib/highlight/tokenize';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

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
