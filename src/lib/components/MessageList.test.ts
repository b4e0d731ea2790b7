import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { Transcript } from '../stores/transcript';
import MessageListHost from '../testing/MessageListHost.svelte';
import { reactiveProps } from '../testing/reactive-props.svelte';
import { assistantText, userText } from '../testing/wire';
import MessageList from './MessageList.svelte';

function bigTranscript(n: number) {
  const t = new Transcript();
  const batch = [];
  for (let i = 0; i < n; i++) batch.push(i % 2 ? assistantText(i, `answer ${i}`) : userText(i, `question ${i}`));
  t.ingest(batch);
  return t;
}

describe('MessageList', () => {
  it('renders only a window of a 10,000-message transcript', () => {
    const t = bigTranscript(10_000);
    render(MessageList, { props: { messages: t.messages, version: 1 } });
    const rows = screen.getByRole('log', { name: 'Messages' }).querySelectorAll('[data-role]');
    expect(t.messages).toHaveLength(10_000);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(100);
  });

  it('shows rows appended in place once the version moves', () => {
    const t = new Transcript();
    t.ingest([userText(0, 'first')]);
    const { rerender } = render(MessageList, { props: { messages: t.messages, version: 1 } });
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(log.querySelectorAll('[data-role]')).toHaveLength(1);
    t.ingest([assistantText(1, 'second')]);
    rerender({ messages: t.messages, version: 2 });
    flushSync();
    expect([...log.querySelectorAll('[data-role]')].map((e) => e.textContent?.trim())).toEqual(['You first', 'second']);
  });

  it('reserves the height of the rows it does not render', () => {
    const t = bigTranscript(1_000);
    render(MessageList, { props: { messages: t.messages, version: 1, overscan: 2 } });
    const log = screen.getByRole('log', { name: 'Messages' });
    const spacers = [...log.children].filter((el) => el.getAttribute('aria-hidden') === 'true') as HTMLElement[];
    const rendered = log.querySelectorAll('[data-role]').length;
    const reservedPx = spacers.reduce((sum, el) => sum + parseFloat(el.style.height || '0'), 0);
    expect(reservedPx).toBeGreaterThanOrEqual((1_000 - rendered) * 80 - 1);
  });

  it('reveals a message by key once it arrives: renders that row far from the bottom and marks it', async () => {
    const t = bigTranscript(2_000);
    const reveal = { key: 'user:u5001' };
    const { rerender } = render(MessageList, { props: { messages: t.messages, version: 1, reveal } });
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(log.querySelectorAll('[data-hit]')).toHaveLength(0);
    const more = [];
    for (let i = 2_000; i < 6_000; i++) more.push(i === 5_001 ? userText(i, 'the needle') : i % 2 ? assistantText(i, `answer ${i}`) : userText(i, `question ${i}`));
    t.ingest(more);
    await rerender({ messages: t.messages, version: 2, reveal });
    flushSync();
    expect([...log.querySelectorAll('[data-hit]')].map((e) => e.textContent?.trim())).toEqual(['You the needle']);
    // A different reveal moves the mark; none removes it.
    await rerender({ messages: t.messages, version: 2, reveal: { key: 'assistant:a1' } });
    flushSync();
    expect([...log.querySelectorAll('[data-hit]')].map((e) => e.textContent?.trim())).toEqual(['answer 1']);
    await rerender({ messages: t.messages, version: 2, reveal: null });
    flushSync();
    expect(log.querySelectorAll('[data-hit]')).toHaveLength(0);
  });
});

describe('MessageList: a window of a longer transcript', () => {
  /** A paging object over `t`, with a scripted loadEarlier. */
  function paging(t: Transcript, over: Partial<{ loading: boolean; error: string | null }> = {}) {
    const calls: number[] = [];
    return {
      calls,
      paging: { hasEarlier: t.hasEarlier, loading: false, error: null, frontOffset: t.frontOffset, ...over, loadEarlier: () => calls.push(1), reading: () => {} },
    };
  }
  const tail = () => {
    const wires = [];
    for (let i = 2000; i < 3000; i++) wires.push(i % 2 ? assistantText(i, `answer ${i}`) : userText(i, `question ${i}`));
    return Transcript.fromStored(wires, true);
  };

  it('offers the earlier messages, says while they load, and says why they failed with a Retry', async () => {
    const t = tail();
    const p = paging(t);
    const { rerender } = render(MessageList, { props: { messages: t.messages, version: 1, paging: p.paging } });
    screen.getByRole('button', { name: 'Load earlier messages' }).click();
    expect(p.calls).toHaveLength(1);
    await rerender({ messages: t.messages, version: 1, paging: paging(t, { loading: true }).paging });
    expect(screen.getByRole('status', { name: 'Earlier messages' }).textContent?.trim()).toBe('Loading earlier messages…');
    const failed = paging(t, { error: 'database is locked' });
    await rerender({ messages: t.messages, version: 1, paging: failed.paging });
    expect(screen.getByRole('status', { name: 'Earlier messages' }).textContent?.replace(/\s+/g, ' ').trim()).toBe('Could not load earlier messages: database is locked Retry');
    screen.getByRole('button', { name: 'Retry' }).click();
    expect(failed.calls).toHaveLength(1);
  });

  it('pages back until a revealed message is there, numbering rows so that a number stays with its row as the window moves', async () => {
    const t = tail();
    const reveal = { key: 'user:u1500' };
    const p = paging(t);
    const { rerender } = render(MessageList, { props: { messages: t.messages, version: 1, paging: p.paging, reveal } });
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(p.calls).toHaveLength(1);
    const older = [];
    for (let i = 1000; i < 2000; i++) older.push(i % 2 ? assistantText(i, `answer ${i}`) : userText(i, `question ${i}`));
    t.prepend(older, true);
    await rerender({ messages: t.messages, version: 2, paging: paging(t).paging, reveal });
    flushSync();
    const hit = log.querySelector<HTMLElement>('[data-hit]');
    expect(hit?.textContent?.trim()).toBe('You question 1500');
    // Row 0 of the restored tail was question 2000: 500 rows after question 1500.
    expect(hit?.dataset.position).toBe('-500');
    expect(t.frontOffset).toBe(-1000);
  });
});

describe('MessageList: drawing once per frame', () => {
  it('draws the latest of many batches that arrive within one animation frame', async () => {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame'] });
    try {
      const t = new Transcript();
      t.ingest([userText(0, 'first')]);
      // Only `version` changes, as in the pane: `messages` is the same array, mutated in place.
      const control = reactiveProps({ version: 1 });
      render(MessageListHost, { props: { messages: t.messages, control } });
      const log = screen.getByRole('log', { name: 'Messages' });
      const shown = () => [...log.querySelectorAll('[data-role]')].map((e) => e.textContent?.trim());
      expect(shown()).toEqual(['You first']);
      for (let i = 1; i <= 3; i++) {
        t.ingest([assistantText(i, `batch ${i}`)]);
        control.version = 1 + i;
        flushSync();
      }
      // Three batches, no frame yet: the rows are those of the last frame.
      expect(shown()).toEqual(['You first']);
      vi.advanceTimersToNextFrame();
      flushSync();
      expect(shown()).toEqual(['You first', 'batch 1', 'batch 2', 'batch 3']);
    } finally {
      vi.useRealTimers();
    }
  });
});
