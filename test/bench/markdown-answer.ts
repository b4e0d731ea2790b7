/**
 * A long assistant answer for the markdown benchmark: headings, prose with
 * inline code, bold and links, bullet and numbered lists (one holding a code
 * fence), fenced code in several languages, a table and a blockquote — the
 * shapes agents write. Deterministic, so runs compare.
 */

const FENCES: [lang: string, body: string][] = [
  ['ts', 'export function total(items: { price: number; qty: number }[]): number {\n  return items.reduce((sum, i) => sum + i.price * i.qty, 0);\n}\n'],
  ['bash', 'npm install --save-exact shiki\nnpx vitest run src/lib/markdown.test.ts\n'],
  ['json', '{\n  "name": "corral",\n  "private": true,\n  "scripts": { "bench": "vitest run --project bench" }\n}\n'],
  ['python', 'def mean(xs: list[float]) -> float:\n    return sum(xs) / len(xs) if xs else 0.0\n'],
];

function section(n: number): string {
  const [lang, body] = FENCES[n % FENCES.length];
  const parts = [
    `## Step ${n}: update \`src/module${n}.ts\``,
    `The **${n}th** change keeps the [docs](https://example.com/docs/${n}) true and moves \`helper${n}()\` next to its caller, so the call site reads top to bottom.`,
    `- read the file\n- change \`value${n}\` to a \`const\`\n- run the tests`,
    `\`\`\`${lang}\n${body}\`\`\``,
  ];
  if (n % 3 === 0) parts.push(`| file | lines |\n| --- | --- |\n| src/a${n}.ts | ${n * 3} |\n| src/b${n}.ts | ${n * 7} |`);
  if (n % 4 === 1) parts.push(`> Note: step ${n} touches only *one* module.`);
  if (n % 5 === 2) parts.push(`1. build\n2. test:\n\n   \`\`\`bash\n   npm test -- --filter step${n}\n   \`\`\`\n\n3. commit`);
  return parts.join('\n\n');
}

/** An answer of exactly `chars` characters (cut mid-block, as a stream would be). */
export function makeAnswer(chars: number, seed = ''): string {
  let out = seed;
  for (let n = 1; out.length < chars; n++) out += (out ? '\n\n' : '') + section(n);
  return out.slice(0, chars);
}
