import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/rpc/queue';
import { createFakeRpc } from '../testing/fake-rpc';
import { createPromptQueueStore } from './prompt-queue.svelte';

const item = (id: string, text: string): QueueItem => ({ id, sessionId: 's1', position: 0, text, state: 'queued', error: null, createdAt: 1 });

describe('prompt queue store', () => {
  it('takes the queue from queue.changed and keeps the highest revision', () => {
    const rpc = createFakeRpc();
    const queue = createPromptQueueStore({ rpc: rpc.client });
    rpc.emit('queue.changed', { sessionId: 's1', items: [item('a', 'one')], revision: 5 });
    rpc.emit('queue.changed', { sessionId: 's1', items: [], revision: 4 });
    expect(queue.items('s1').map((i) => i.text)).toEqual(['one']);
    expect(queue.items('s2')).toEqual([]);
    queue.dispose();
    rpc.emit('queue.changed', { sessionId: 's1', items: [], revision: 6 });
    expect(queue.items('s1')).toHaveLength(1);
  });

  it('reloads every queue it holds after a reconnect', async () => {
    let stored = [item('a', 'one')];
    const rpc = createFakeRpc({ 'queue.list': () => ({ items: stored, revision: 10 }) });
    const queue = createPromptQueueStore({ rpc: rpc.client });
    await queue.load('s1');
    expect(queue.items('s1').map((i) => i.text)).toEqual(['one']);
    // Missed while disconnected: the prompt went out.
    stored = [];
    await queue.reload();
    expect(queue.items('s1')).toEqual([]);
    expect(rpc.callsOf('queue.list')).toEqual([{ sessionId: 's1' }, { sessionId: 's1' }]);
  });

  it('keeps a refusal or a failed request as the session error, and clears it on the next success', async () => {
    const rpc = createFakeRpc({ 'queue.remove': () => ({ ok: false, error: 'No queued prompt x in this session' }) });
    rpc.handle('queue.steer', () => Promise.reject(new Error('socket closed')));
    rpc.handle('queue.retry', () => ({ ok: true, items: [], revision: 1 }));
    const queue = createPromptQueueStore({ rpc: rpc.client });
    expect(await queue.remove('s1', 'x')).toBe(false);
    expect(queue.error('s1')).toBe('No queued prompt x in this session');
    expect(await queue.steer('s1', 'go')).toBe(false);
    expect(queue.error('s1')).toBe('socket closed');
    expect(await queue.retry('s1')).toBe(true);
    expect(queue.error('s1')).toBeNull();
    expect(rpc.callsOf('queue.retry')).toEqual([{ sessionId: 's1' }]);
  });
});
