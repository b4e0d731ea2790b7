import { render } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeClock } from '../../shared/clock';
import { APP_STORES } from '../app-context';
import { highlightCode } from '../highlight/highlighter';
import { renderMarkdown } from '../markdown';
import MarkdownView from './MarkdownView.svelte';

/** The text of the code element markdown renders for a fence, as MarkdownView's painter reads it. */
function codeTextOf(fence: string): string {
  const div = document.createElement('div');
  div.innerHTML = renderMarkdown(fence);
  return div.querySelector('pre > code')!.textContent!;
}

const FENCE = '```ts\nconst answer: number = 42; // the answer\n```';

function mountView(text: string) {
  const clock = createFakeClock();
  const view = render(MarkdownView, { props: { text }, context: new Map([[APP_STORES, { clock }]]) });
  /** Sets the text, then lets the next animation frame come (the view renders at most one text per frame). */
  const show = (next: string) => {
    view.rerender({ text: next });
    flushSync();
    vi.advanceTimersToNextFrame();
    flushSync();
  };
  return { ...view, clock, show };
}

beforeEach(() => vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame'] }));
afterEach(() => vi.useRealTimers());

describe('MarkdownView', () => {
  it('renders the first delta of a frame at once and coalesces the rest into the next frame', () => {
    const view = render(MarkdownView, { props: { text: 'One' }, context: new Map([[APP_STORES, { clock: createFakeClock() }]]) });
    const shown = () => view.container.querySelector('.markdown')!.textContent!.trim();
    expect(shown()).toBe('One');
    const set = (text: string) => (view.rerender({ text }), flushSync());
    set('One two'); // the mount rendered in this frame already
    expect(shown()).toBe('One');
    vi.advanceTimersToNextFrame();
    flushSync();
    expect(shown()).toBe('One two');
    vi.advanceTimersToNextFrame(); // a frame with no new text: the next one renders at once
    set('One two three');
    expect(shown()).toBe('One two three');
    set('One two three four');
    set('One two three four five');
    expect(shown()).toBe('One two three');
    vi.advanceTimersToNextFrame();
    flushSync();
    expect(shown()).toBe('One two three four five');
  });

  it('shows a text that grew by more than 8,000 characters over several frames, and a replaced text at once', () => {
    const { container, show } = mountView('Start.');
    const chars = () => Number(container.querySelector('.markdown')!.getAttribute('data-chars'));
    const paragraph = (i: number) => `Paragraph ${i} says ${'word '.repeat(40)}\n\n`;
    const long = 'Start.\n\n' + Array.from({ length: 90 }, (_, i) => paragraph(i)).join('');
    expect(long.length).toBeGreaterThan(16_000);
    expect(long.length).toBeLessThan(24_000);
    show(long); // renders in the frame after the mount's: the first 8,000 more characters
    expect(chars()).toBe('Start.'.length + 8000);
    vi.advanceTimersToNextFrame();
    flushSync();
    expect(chars()).toBe('Start.'.length + 16_000);
    vi.advanceTimersToNextFrame();
    flushSync();
    expect(chars()).toBe(long.length);
    const whole = document.createElement('div');
    whole.innerHTML = renderMarkdown(long);
    expect(container.querySelector('.markdown')!.textContent!.replace(/\s+/g, ' ').trim()).toBe(whole.textContent!.replace(/\s+/g, ' ').trim());

    const replaced = 'Another answer: ' + 'text '.repeat(3000);
    show(replaced);
    expect(chars()).toBe(replaced.length);
  });

  it('renders the markdown of a streamed answer as each delta arrives', () => {
    const answer = '# Plan\n\n- read the file\n- fix the bug\n\nThen run `npm test`.';
    const { container, show } = mountView('');
    for (let end = 1; end <= answer.length; end += 4) show(answer.slice(0, end));
    show(answer);
    const md = container.querySelector('.markdown')!;
    expect(md.querySelector('h1')?.textContent).toBe('Plan');
    expect([...md.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['read the file', 'fix the bug']);
    expect(md.querySelector('p code')?.textContent).toBe('npm test');
  });

  it('keeps the DOM of final blocks while the tail grows', () => {
    const { container, show } = mountView('First paragraph.\n\nSecond');
    show('First paragraph.\n\nSecond paragraph.\n\nThird');
    const first = container.querySelector('p')!;
    show('First paragraph.\n\nSecond paragraph.\n\nThird paragraph, and more.');
    expect(container.querySelector('p')).toBe(first);
    expect(container.querySelectorAll('p')).toHaveLength(3);
  });

  it('highlights a code block once later text made it final', async () => {
    await highlightCode(codeTextOf(FENCE), 'typescript'); // cached, so the paint is synchronous
    const { container, show } = mountView(`Here:\n\n${FENCE.slice(0, 20)}`);
    expect(container.querySelector('.hl-keyword')).toBeNull();
    show(`Here:\n\n${FENCE}\n\nThat is all`);
    const code = container.querySelector('pre > code')!;
    expect(code.querySelector('.hl-keyword')?.textContent).toBe('const');
    expect(code.querySelector('.hl-comment')?.textContent).toBe('// the answer');
    expect(code.textContent).toBe(codeTextOf(FENCE));
  }, 120_000);

  it('highlights code in the last block only after the text stopped changing', async () => {
    await highlightCode(codeTextOf(FENCE), 'typescript');
    const { container, clock } = mountView(`Here:\n\n${FENCE}`);
    expect(container.querySelector('.hl-keyword')).toBeNull();
    clock.advance(200);
    flushSync();
    expect(container.querySelector('.hl-keyword')).toBeNull();
    clock.advance(100);
    flushSync();
    expect(container.querySelector('.hl-keyword')?.textContent).toBe('const');
  }, 120_000);

  it('leaves code without a known language plain', async () => {
    const { container, clock } = mountView('```\nplain words here\n```\n\n```brainfuck\n+++.\n```\n\nend');
    clock.advance(1000);
    flushSync();
    await Promise.resolve();
    expect(container.querySelectorAll('pre > code')).toHaveLength(2);
    expect(container.querySelector('pre [class^="hl-"]')).toBeNull();
  });
});
