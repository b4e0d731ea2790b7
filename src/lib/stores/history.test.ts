import { describe, expect, it } from 'vitest';
import { deferred, createFakeRpc } from '../testing/fake-rpc';
import { record } from '../testing/session-store-harness';
import { assistantText, userText } from '../testing/wire';
import { createHistoryStore } from './history.svelte';
import type { SessionRecord } from '../../shared/records';

describe('history store', () => {
  it('lists the retained sessions newest first as session.list gives them', async () => {
    const rpc = createFakeRpc({ 'session.list': () => ({ sessions: [record({ id: 'b', createdAt: 2 }), record({ id: 'a', createdAt: 1 })] }) });
    const history = createHistoryStore({ rpc: rpc.client });
    expect(history.list('p1')).toMatchObject({ sessions: [], loaded: false });
    await history.refresh('p1');
    expect(history.list('p1')).toMatchObject({ loaded: true, loading: false, error: null });
    expect(history.list('p1').sessions.map((s) => s.id)).toEqual(['b', 'a']);
    expect(rpc.callsOf('session.list')).toEqual([{ projectId: 'p1' }]);
  });

  it('lets only the newest of overlapping fetches land, and keeps the list when a fetch fails', async () => {
    const answers = [deferred<{ sessions: SessionRecord[] }>(), deferred<{ sessions: SessionRecord[] }>()];
    let n = 0;
    const rpc = createFakeRpc({ 'session.list': () => answers[n++].promise });
    const history = createHistoryStore({ rpc: rpc.client });
    const older = history.refresh('p1');
    const newer = history.refresh('p1');
    answers[1].resolve({ sessions: [record({ id: 'new' })] });
    await newer;
    answers[0].resolve({ sessions: [record({ id: 'stale' })] });
    await older;
    expect(history.list('p1').sessions.map((s) => s.id)).toEqual(['new']);
    rpc.handle('session.list', () => Promise.reject(new Error('db locked')));
    await history.refresh('p1');
    expect(history.list('p1')).toMatchObject({ error: 'db locked', loading: false });
    expect(history.list('p1').sessions.map((s) => s.id)).toEqual(['new']);
  });

  it('loads a transcript in seqId order, each seqId once', async () => {
    const rpc = createFakeRpc({ 'session.messages.load': () => ({ messages: [assistantText(2, 'answer'), userText(1, 'question'), userText(1, 'question')], more: false }) });
    const t = await createHistoryStore({ rpc: rpc.client }).loadTranscript('old');
    expect(t.messages.map((m) => m.text)).toEqual(['question', 'answer']);
  });
});
