import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';
import { createMarkdownStream, type MarkdownRender } from './markdown-stream';

const join = ({ finals, tail }: MarkdownRender) => finals.map((b) => b.html).join('') + (tail?.html ?? '');

/** Documents whose blocks interact across blank lines: where a wrong split would show. */
const DOCS: Record<string, string> = {
  prose: '# Title\n\nSome **bold** text with `code` and a [link](https://example.com).\nA second line.\n\nSetext\n===\n\n---\n\nLast paragraph.\n',
  'loose lists that continue after blank lines':
    '- one\n- two\n\n- three, after a blank line\n\n  indented continuation\n\nNot in the list.\n\n1. first\n\n2. second\n\n10. tenth\n\n* star\n\n* star two\n\n+ plus\n',
  'code fences with blank lines inside':
    'Intro:\n\n```ts\nconst a = 1;\n\n\nconst b = 2;\n```\n\n~~~\ntilde fence\n\n~~~\n\n````md\n```\nnested\n```\n````\n\nAfter.\n',
  'a code fence inside a list':
    '1. build\n2. test:\n\n   ```bash\n   npm test\n\n   npm run bench\n   ```\n\n3. commit\n\nDone.\n',
  'indented code and paragraphs': 'Para\n    not code, a continuation\n\n    indented code\n\n    more code after a blank\n\nText.\n',
  'tables, quotes and html': '| a | b |\n| - | - |\n| 1 | 2 |\n\n> quoted\n> more\n\n> second quote\n\n<div>\n\nraw <b>html</b>\n\n</div>\n\n<!--\n\ncomment\n\n-->\n\nEnd.\n',
  'headings without blank lines': '# One\nText under one\n## Two\n- item\n```\ncode\n```\nTail text',
};

/** The incremental blocks at every step equal a one-shot render of the same prefix. */
function expectStreamMatches(text: string, step: number) {
  const stream = createMarkdownStream();
  for (let end = 0; end <= text.length; end += step) {
    const prefix = text.slice(0, end);
    expect(join(stream.update(prefix)), `prefix of ${end} chars`).toBe(renderMarkdown(prefix));
  }
  expect(join(stream.update(text))).toBe(renderMarkdown(text));
}

describe('createMarkdownStream', () => {
  for (const [name, text] of Object.entries(DOCS)) {
    it(`equals a one-shot render at every prefix: ${name}`, () => {
      expectStreamMatches(text, 1);
      expectStreamMatches(text, 7);
    }, 120_000);

    it(`equals a one-shot render after one split at any point: ${name}`, () => {
      for (let at = 0; at <= text.length; at++) {
        const stream = createMarkdownStream();
        stream.update(text.slice(0, at));
        expect(join(stream.update(text)), `split at ${at}`).toBe(renderMarkdown(text));
      }
    }, 120_000);
  }

  it('renders final blocks once: later deltas keep the same block objects', () => {
    const stream = createMarkdownStream();
    const first = stream.update('# Title\n\nFirst paragraph.\n\nSecond');
    expect(first.finals.length).toBeGreaterThan(0);
    const sameFinals = stream.update('# Title\n\nFirst paragraph.\n\nSecond paragraph');
    expect(sameFinals.finals).toBe(first.finals);
    const next = stream.update('# Title\n\nFirst paragraph.\n\nSecond paragraph, longer.\n\nThird');
    for (const b of first.finals) expect(next.finals).toContain(b);
    expect(next.finals.length).toBeGreaterThan(first.finals.length);
    expect(next.tail?.html).toBe('<p>Third</p>\n');
  });

  it('keeps a list open while a later item may still join it', () => {
    const stream = createMarkdownStream();
    // "2" alone is a paragraph, "2. b" continues the ordered list: the list must not be final yet.
    expect(stream.update('1. a\n\n2').finals).toEqual([]);
    expect(join(stream.update('1. a\n\n2. b\n'))).toBe(renderMarkdown('1. a\n\n2. b\n'));
  });

  it('re-renders everything when a reference definition arrives, since it changes links before it', () => {
    const text = 'See [the docs][d] first.\n\nThen more text.\n\n[d]: https://example.com/docs\n\nAfter the definition.\n';
    expectStreamMatches(text, 3);
    const stream = createMarkdownStream();
    stream.update(text.slice(0, 40));
    const html = join(stream.update(text));
    expect(html).toContain('href="https://example.com/docs"');
  });

  it('handles carriage returns by rendering the whole text', () => {
    expectStreamMatches('Line one\r\n\r\n- item\r\n- item two\r\n\r\nEnd\r\n', 2);
  });

  it('starts over when the text is replaced rather than extended', () => {
    const stream = createMarkdownStream();
    stream.update('# First answer\n\nwith text\n\nand more');
    expect(join(stream.update('A different\n\nanswer'))).toBe(renderMarkdown('A different\n\nanswer'));
    expect(stream.update('')).toEqual({ ...stream.update(''), finals: [], tail: null });
  });

  it('starts a remounted stream from the remembered blocks of the same text', () => {
    const text = '# Cached\n\nParagraph one.\n\nParagraph two.';
    const first = createMarkdownStream();
    const rendered = first.update(text);
    first.remember();
    const again = createMarkdownStream().update(text);
    expect(again.finals[0]).toBe(rendered.finals[0]);
    expect(join(again)).toBe(renderMarkdown(text));
  });

  it('keeps the sanitizer: raw HTML stays text and unsafe links go, in final blocks too', () => {
    const stream = createMarkdownStream();
    const text = '<img src=x onerror=alert(1)>\n\n[bad](javascript:alert(1))\n\n<script>alert(2)</script>\n\ntail';
    for (let end = 1; end <= text.length; end += 5) stream.update(text.slice(0, end));
    const div = document.createElement('div');
    div.innerHTML = join(stream.update(text));
    expect(div.querySelector('img, script')).toBeNull();
    expect(div.textContent).toContain('<img src=x onerror=alert(1)>');
    expect([...div.querySelectorAll('a')].some((a) => a.getAttribute('href')?.startsWith('javascript:'))).toBe(false);
  });

  it('paints the tail as the same sanitized DOM as its HTML, inside one holder', () => {
    const stream = createMarkdownStream();
    const text = 'Intro.\n\nA [safe](https://example.com) and a [bad](javascript:alert(1)) link, <img src=x onerror=alert(1)> and **bold**';
    const { tail } = stream.update(text);
    const target = document.createElement('div');
    target.append('stale');
    tail!.paintInto(target, 'tail');
    expect(target.children.length).toBe(1);
    const holder = target.firstElementChild!;
    expect(holder.className).toBe('tail');
    expect(holder.innerHTML).toBe(tail!.html);
    expect(holder.querySelector('img, script')).toBeNull();
    expect([...holder.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target')])).toEqual([
      ['safe', 'https://example.com', '_blank'],
      ['bad', null, null],
    ]);
  });
});
