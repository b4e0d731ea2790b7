import { describe, expect, it } from 'vitest';
import { record, setup, started } from '../testing/session-store-harness';
import { userText } from '../testing/wire';

describe('session store: opening a stored session (an imported one)', () => {
  it("makes it the pane's session with its transcript, so the next prompt continues it", async () => {
    const { store, rpc } = setup();
    rpc.handle('session.list', () => ({ sessions: [record({ id: 'imp', providerSessionId: 'claude-session' })] }));
    rpc.handle('session.messages.load', () => ({ messages: [userText(0, 'from the CLI')], more: false }));
    rpc.handle('agent.prompt', () => ({ ok: true }));
    expect(await store.openStored('p1', 'imp')).toBe(true);
    expect(store.current('p1')?.id).toBe('imp');
    expect(store.current('p1')?.transcript.messages.map((m) => m.text)).toEqual(['from the CLI']);
    expect(await store.send('p1', 'follow-up', 'claude')).toBe(true);
    expect(rpc.callsOf('agent.prompt')).toEqual([{ sessionId: 'imp', prompt: 'follow-up' }]);
    expect(rpc.callsOf('agent.start')).toEqual([]);
  });

  it('refuses while a turn runs in the pane, and leaves the running session shown', async () => {
    const { store, rpc } = await started();
    rpc.emit('agent.status', { sessionId: 's1', projectId: 'p1', status: 'running' });
    expect(await store.openStored('p1', 'imp')).toBe(false);
    expect(store.current('p1')?.id).toBe('s1');
  });
});
