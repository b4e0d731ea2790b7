import { describe, expect, it } from 'vitest';
import { cachedHighlight, highlightCode, MAX_HIGHLIGHT_CHARS } from './highlighter';

const text = (lines: { text: string }[][]) => lines.map((l) => l.map((t) => t.text).join('')).join('\n');

describe('highlightCode', () => {
  it('returns one line of tokens per line of code, with kinds for keywords, strings and comments', async () => {
    const code = 'const greeting = "hi"; // say hi\nexport function f(n: number) {\n  return n + 1;\n}\n';
    const lines = (await highlightCode(code, 'typescript'))!;
    expect(lines).toHaveLength(code.split('\n').length);
    expect(text(lines)).toBe(code);
    const kinds = new Map(lines.flat().map((t) => [t.text.trim(), t.kind]));
    expect(kinds.get('const')).toBe('keyword');
    expect(kinds.get('"hi"')).toBe('string');
    expect(kinds.get('// say hi')).toBe('comment');
    expect(kinds.get('f')).toBe('entity');
  }, 120_000);

  it('keeps the grammar state across chunks: a comment opened early still colours a line far below', async () => {
    const code = `/*\n${'inside the comment\n'.repeat(150)}*/\nconst after = 1;`;
    const lines = (await highlightCode(code, 'typescript'))!;
    expect(text(lines)).toBe(code);
    expect(lines[140].every((t) => t.kind === 'comment')).toBe(true);
    expect(lines.at(-1)!.find((t) => t.text === 'const')?.kind).toBe('keyword');
  }, 120_000);

  it('caches results, so a remounted block paints synchronously', async () => {
    const code = 'x = {"a": [1, true]}';
    expect(cachedHighlight(code, 'python')).toBeNull();
    const lines = await highlightCode(code, 'python');
    expect(cachedHighlight(code, 'python')).toBe(lines);
  }, 120_000);

  it('leaves code over the size limit plain', async () => {
    expect(await highlightCode('x'.repeat(MAX_HIGHLIGHT_CHARS + 1), 'json')).toBeNull();
  });
});
