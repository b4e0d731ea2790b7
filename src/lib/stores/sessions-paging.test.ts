import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../shared/events';
import { deferred } from '../testing/fake-rpc';
import { record, setup, started } from '../testing/session-store-harness';
import { assistantText, userText } from '../testing/wire';
import { Transcript } from './transcript';
import { PAGE_MESSAGES, TRIM_SLACK_ROWS, WINDOW_ROWS } from './transcript-paging';

/** Messages `from..to-1`: questions and answers, one row each. */
const range = (from: number, to: number): WireMessage[] =>
  Array.from({ length: to - from }, (_, i) => ((from + i) % 2 ? assistantText(from + i, `answer ${from + i}`) : userText(from + i, `question ${from + i}`)));

describe('session store: a window of the transcript', () => {
  it('restores the tail, and pages older messages in front of it on request', async () => {
    const { rpc, store } = setup();
    rpc.handle('session.load', () => ({ session: record(), messages: range(3000, 4000), more: true }));
    rpc.handle('session.messages.load', ({ beforeSeqId, limit }) => ({ messages: range(Math.max(0, beforeSeqId! - limit!), beforeSeqId!), more: beforeSeqId! - limit! > 0 }));
    await store.loadLastSession('p1');
    expect(rpc.callsOf('session.load')).toEqual([{ projectId: 'p1', tail: PAGE_MESSAGES }]);
    const s = store.current('p1')!;
    expect([s.messages.length, s.messages[0].text, s.transcript.hasEarlier]).toEqual([1000, 'question 3000', true]);
    const version = s.version;
    await store.loadEarlier('old');
    expect(rpc.callsOf('session.messages.load')).toEqual([{ sessionId: 'old', beforeSeqId: 3000, limit: PAGE_MESSAGES }]);
    expect([s.messages.length, s.messages[0].text, s.transcript.frontOffset, s.version > version]).toEqual([2000, 'question 2000', -1000, true]);
    await store.loadEarlier('old');
    await store.loadEarlier('old');
    expect([s.messages.length, s.transcript.hasEarlier, s.earlierLoading]).toEqual([4000, false, false]);
    // Nothing older: no more requests.
    await store.loadEarlier('old');
    expect(rpc.callsOf('session.messages.load')).toHaveLength(3);
  });

  it('asks once while a page is on its way, keeps a failure for the Retry, and drops a page for a replaced transcript', async () => {
    const { rpc, store } = setup();
    rpc.handle('session.load', () => ({ session: record(), messages: range(10, 20), more: true }));
    await store.loadLastSession('p1');
    const s = store.current('p1')!;
    const page = deferred<{ messages: WireMessage[]; more: boolean }>();
    rpc.handle('session.messages.load', () => page.promise);
    const first = store.loadEarlier('old');
    const second = store.loadEarlier('old');
    expect(s.earlierLoading).toBe(true);
    page.reject(new Error('database is locked'));
    await Promise.all([first, second]);
    expect(rpc.callsOf('session.messages.load')).toHaveLength(1);
    expect([s.earlierLoading, s.earlierError, s.messages.length]).toEqual([false, 'database is locked', 10]);
    const late = deferred<{ messages: WireMessage[]; more: boolean }>();
    rpc.handle('session.messages.load', () => late.promise);
    const retry = store.loadEarlier('old');
    expect(s.earlierError).toBeNull();
    s.transcript = new Transcript(); // a resync after a restart of the main process replaced it
    late.resolve({ messages: range(0, 10), more: false });
    await retry;
    expect(s.messages).toEqual([]);
  });

  it('trims the oldest rows of a live session once the window outgrows its slack, unless the user reads them', async () => {
    const { s, push } = await started();
    push(...range(0, WINDOW_ROWS + TRIM_SLACK_ROWS));
    expect([s.messages.length, s.transcript.hasEarlier]).toEqual([WINDOW_ROWS + TRIM_SLACK_ROWS, false]);
    push(...range(WINDOW_ROWS + TRIM_SLACK_ROWS, WINDOW_ROWS + TRIM_SLACK_ROWS + 1));
    expect([s.messages.length, s.messages[0].text, s.transcript.hasEarlier]).toEqual([WINDOW_ROWS, 'answer 101', true]);
    s.readingEarlier = true;
    push(...range(1101, 1400));
    expect(s.messages.length).toBe(WINDOW_ROWS + 299);
    s.readingEarlier = false;
    push(...range(1400, 1401));
    expect([s.messages.length, s.messages.at(-1)!.text]).toEqual([WINDOW_ROWS, 'question 1400']);
  });
});
