import { render } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { highlightCode } from '../highlight/highlighter';
import HighlightedCode from './HighlightedCode.svelte';
import ToolResult from './ToolResult.svelte';

const TS = 'const total = items.length; // count\nexport { total };';

describe('HighlightedCode', () => {
  it('shows the code plain at once, then with token classes when the highlighter answers', async () => {
    const code = 'def mean(xs):\n    return sum(xs) / len(xs)  # average\n';
    const { container } = render(HighlightedCode, { props: { code, language: 'python' } });
    const pre = container.querySelector('pre')!;
    expect(pre.textContent).toBe(code);
    await vi.waitFor(() => expect(pre.querySelector('.hl-comment')).not.toBeNull(), { timeout: 60_000 });
    expect(pre.querySelector('.hl-keyword')?.textContent).toBe('def');
    expect(pre.textContent).toBe(code);
  }, 120_000);

  it('paints cached tokens without waiting', async () => {
    await highlightCode(TS, 'typescript');
    const { container } = render(HighlightedCode, { props: { code: TS, language: 'typescript' } });
    flushSync();
    expect(container.querySelector('.hl-keyword')?.textContent).toBe('const');
  }, 120_000);

  it('keeps the line numbers of a listing out of the highlighting', async () => {
    const listing = '     1→const total = items.length; // count\n     2→export { total };';
    await highlightCode(TS, 'typescript');
    const { container } = render(HighlightedCode, { props: { code: listing, language: 'typescript' } });
    flushSync();
    const pre = container.querySelector('pre')!;
    expect([...pre.querySelectorAll('.gutter')].map((g) => g.textContent)).toEqual(['     1→', '     2→']);
    expect(pre.querySelector('.hl-keyword')?.textContent).toBe('const');
    expect(pre.textContent).toBe(listing);
  }, 120_000);

  it('leaves code without a language plain, as text', () => {
    const code = '<script>alert(1)</script>';
    const { container } = render(HighlightedCode, { props: { code, language: null } });
    flushSync();
    expect(container.querySelector('pre')!.textContent).toBe(code);
    expect(container.querySelector('script, [class^="hl-"]')).toBeNull();
  });
});

describe('ToolResult', () => {
  it('highlights the output of a call whose path names a language', async () => {
    await highlightCode(TS, 'typescript');
    const { container } = render(ToolResult, { props: { output: TS, toolName: 'Read', path: 'src/total.ts' } });
    flushSync();
    expect(container.querySelector('pre')?.dataset.language).toBe('typescript');
    expect(container.querySelector('.hl-keyword')?.textContent).toBe('const');
  }, 120_000);

  it('shows output plain when the path names no language or the call failed', () => {
    const plain = render(ToolResult, { props: { output: TS, toolName: 'Read', path: 'notes.txt' } });
    const failed = render(ToolResult, { props: { output: TS, toolName: 'Read', path: 'src/total.ts', isError: true } });
    flushSync();
    for (const { container } of [plain, failed]) {
      expect(container.querySelector('pre')?.dataset.language).toBeUndefined();
      expect(container.querySelector('[class^="hl-"]')).toBeNull();
    }
  });
});
