import { describe, expect, it } from 'vitest';
import { deferred } from '../testing/fake-rpc';
import { setup, started } from '../testing/session-store-harness';
import { settle } from '../testing/settle';
import { assistantText, userText, wire } from '../testing/wire';

describe('session store: ingest', () => {
  it('registers each RPC listener exactly once, however much it is used', async () => {
    const { rpc, store, push } = await started();
    push(userText(0, 'hi'));
    await store.send('p1', 'again', 'claude');
    await store.loadLastSession('p2');
    for (const e of ['agent.message', 'agent.status', 'agent.cost', 'session.purged'] as const) {
      expect(rpc.registrations(e)).toBe(1);
      expect(rpc.listenerCount(e)).toBe(1);
    }
    store.dispose();
    expect(rpc.listenerCount('agent.message')).toBe(0);
  });

  it('converts events into display messages and skips status, cost and init', async () => {
    const { s, push } = await started();
    push(
      wire(0, { type: 'init', providerSessionId: 'claude-123', model: 'sonnet' }),
      userText(1, 'list files'),
      wire(2, { type: 'thinking', id: 't1', text: 'hmm', mode: 'replace' }),
      wire(3, { type: 'tool_call', id: 'call1', name: 'Bash', input: { command: 'ls' }, command: 'ls -la' }),
      wire(4, { type: 'tool_call', id: 'call2', name: 'Read', input: {}, path: '/tmp/x.txt' }),
      wire(5, { type: 'tool_result', id: 'call1', output: 'a\nb', isError: false }),
      wire(6, { type: 'status', status: 'running' }),
      wire(7, { type: 'cost', costUsd: 0.1, inputTokens: 1, outputTokens: 2 }),
      assistantText(8, 'Done.'),
      wire(9, { type: 'error', message: 'HTTP 500' }),
      wire(10, { type: 'compaction', id: 'c1', summary: 'short' }),
    );
    expect(s.messages.map((m) => m.role)).toEqual(['user', 'thinking', 'tool-call', 'tool-call', 'tool-result', 'assistant', 'system', 'system']);
    expect(s.messages[2].tool).toMatchObject({ name: 'Bash', command: 'ls -la', input: { command: 'ls' } });
    expect(s.messages[3].tool).toMatchObject({ name: 'Read', path: '/tmp/x.txt' });
    expect(s.messages[4]).toMatchObject({ text: 'a\nb', toolName: 'Bash', isError: false });
    expect(s.messages[6]).toMatchObject({ text: 'HTTP 500', isError: true });
    expect(s.messages[7].text).toBe('Context compacted: short');
    expect(s.providerSessionId).toBe('claude-123');
    expect(s.model).toBe('sonnet');
  });

  it('drops seqIds already seen and asks to persist each seqId once', async () => {
    const { s, push, clock, rpc } = await started();
    push(userText(0, 'a'), assistantText(1, 'b'));
    const version = s.version;
    push(userText(0, 'a'), assistantText(1, 'b'));
    push(assistantText(1, 'changed?'));
    expect(s.messages.map((m) => m.text)).toEqual(['a', 'b']);
    expect(s.version).toBe(version);
    clock.advance(2000);
    await settle();
    expect(rpc.callsOf('session.persist').map((c) => c.throughSeqId)).toEqual([1]);
  });

  it('updates a streamed message in place: append adds text, replace swaps it, no new message', async () => {
    const { s, push } = await started();
    push(userText(0, 'q'));
    const array = s.messages;
    push(assistantText(1, 'Hel', 'm1', 'append'));
    push(assistantText(2, 'lo', 'm1', 'append'), assistantText(3, ' world', 'm1', 'append'));
    expect(s.messages).toHaveLength(2);
    expect(s.messages[1]).toMatchObject({ key: 'assistant:m1', text: 'Hello world', seqId: 1, rev: 2 });
    push(assistantText(4, 'Final text', 'm1', 'replace'));
    push(wire(5, { type: 'thinking', id: 'm1', text: 'same id, other kind', mode: 'append' }));
    expect(s.messages.map((m) => m.text)).toEqual(['q', 'Final text', 'same id, other kind']);
    expect(s.messages).toBe(array);
  });

  it('applies events that arrive before agent.start answers', async () => {
    const { rpc, store } = setup();
    rpc.handle('agent.start', () => {
      rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
      rpc.emit('agent.message', { sessionId: 's1', messages: [userText(0, 'early')] });
      return { ok: true, sessionId: 's1' };
    });
    await store.send('p1', 'early', 'claude');
    const s = store.current('p1')!;
    expect(s.status).toBe('running');
    expect(s.messages.map((m) => m.text)).toEqual(['early']);
  });
});

describe('session store: status, cost and toasts', () => {
  it('normalizes statuses and keeps error text, storing nothing', async () => {
    const { s, rpc, toasts } = await started();
    expect(s.status).toBe('starting');
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    rpc.emit('agent.status', { sessionId: 's1', status: 'bogus' as never });
    expect(s.status).toBe('idle');
    rpc.emit('agent.status', { sessionId: 's1', status: 'error', error: 'HTTP 500 from model' });
    expect(s.error).toBe('HTTP 500 from model');
    await settle();
    expect(toasts).toContainEqual({ kind: 'error', message: 'Agent error on alpha: HTTP 500 from model' });
    expect(rpc.calls.map((c) => c.method)).toEqual(['agent.start']);
  });

  it('says "Agent completed on <project>" on done, once, and can run again after it', async () => {
    const { s, rpc, toasts, store } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    rpc.emit('agent.status', { sessionId: 's1', status: 'done', reason: 'completed' });
    rpc.emit('agent.status', { sessionId: 's1', status: 'done', reason: 'completed' });
    expect(toasts.filter((t) => t.kind === 'success')).toEqual([{ kind: 'success', message: 'Agent completed on alpha' }]);
    expect(await store.send('p1', 'follow up', 'claude')).toBe(true);
    expect(rpc.callsOf('agent.prompt')).toEqual([{ sessionId: 's1', prompt: 'follow up' }]);
    expect(rpc.callsOf('agent.start')).toHaveLength(1);
    expect(s.status).toBe('starting');
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    expect(s.active).toBe(true);
  });

  it('falls back to the last error event when an error status has no text', async () => {
    const { rpc, toasts, push } = await started();
    push(wire(0, { type: 'error', message: 'quota exceeded' }));
    rpc.emit('agent.status', { sessionId: 's1', status: 'error' });
    expect(toasts.at(-1)).toEqual({ kind: 'error', message: 'Agent error on alpha: quota exceeded' });
  });

  it('records cost and tokens; null cost stays null', async () => {
    const { s, rpc } = await started();
    rpc.emit('agent.cost', { sessionId: 's1', costUsd: 0.0027, inputTokens: 1200, outputTokens: 345 });
    expect([s.costUsd, s.inputTokens, s.outputTokens]).toEqual([0.0027, 1200, 345]);
    rpc.emit('agent.cost', { sessionId: 's1', costUsd: null, inputTokens: 1300, outputTokens: 400 });
    expect(s.costUsd).toBeNull();
  });
});

describe('session store: send and stop', () => {
  it('shows an error toast and an inline error when the start is refused', async () => {
    const { rpc, store, toasts } = setup();
    rpc.handle('agent.start', () => ({ ok: false, error: 'claude not found' }));
    expect(await store.send('p1', 'hi', 'claude')).toBe(false);
    expect(store.pane('p1').error).toBe('claude not found');
    expect(store.current('p1')).toBeUndefined();
    expect(toasts).toEqual([{ kind: 'error', message: 'Could not send the prompt on alpha: claude not found' }]);
  });

  it('reports a transport failure the same way and clears the inline error on the next send', async () => {
    const { rpc, store } = setup();
    rpc.handle('agent.start', () => Promise.reject(new Error('Disconnected from Corral')));
    await store.send('p1', 'hi', 'claude');
    expect(store.pane('p1').error).toBe('Disconnected from Corral');
    rpc.handle('agent.start', () => ({ ok: true, sessionId: 's9' }));
    await store.send('p1', 'hi', 'claude');
    expect(store.pane('p1').error).toBeNull();
    expect(store.current('p1')?.id).toBe('s9');
  });

  it('ignores a second send while the first is in flight', async () => {
    const { rpc, store } = setup();
    const answer = deferred<{ ok: true; sessionId: string }>();
    rpc.handle('agent.start', () => answer.promise);
    const first = store.send('p1', 'one', 'claude');
    expect(store.pane('p1').sending).toBe(true);
    expect(await store.send('p1', 'two', 'claude')).toBe(false);
    answer.resolve({ ok: true, sessionId: 's1' });
    expect(await first).toBe(true);
    expect(rpc.callsOf('agent.start')).toHaveLength(1);
  });

  it('answers a permission request once, and allows a retry when the answer is refused', async () => {
    const { rpc, store, s, toasts } = await started();
    rpc.handle('agent.permission', () => ({ ok: false, error: 'request expired' }));
    expect(await store.answerPermission('p1', 'perm1', 'allow')).toBe(false);
    expect(s.permissionAnswers.has('perm1')).toBe(false);
    expect(toasts.at(-1)).toEqual({ kind: 'error', message: 'Could not answer the permission request on alpha: request expired' });
    rpc.handle('agent.permission', () => ({ ok: true }));
    const first = store.answerPermission('p1', 'perm1', 'allow');
    expect(await store.answerPermission('p1', 'perm1', 'deny')).toBe(false);
    expect(await first).toBe(true);
    expect(s.permissionAnswers.get('perm1')).toBe('allow');
    expect(rpc.callsOf('agent.permission')).toEqual([
      { sessionId: 's1', requestId: 'perm1', optionId: 'allow' },
      { sessionId: 's1', requestId: 'perm1', optionId: 'allow' },
    ]);
  });

  it('stops the current session of the pane', async () => {
    const { rpc, store } = await started();
    await store.stop('p1');
    expect(rpc.callsOf('agent.stop')).toEqual([{ sessionId: 's1' }]);
  });
});
