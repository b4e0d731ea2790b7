import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from './testdata/harness';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'corral-queue-core-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** The core with the scripted sidecar: `slow` runs until an abort, `echo` ends at once. */
function setup() {
  const h = createHarness({ stopGraceMs: 500 });
  const project = h.core.projects.add(tempDir());
  const userPrompts = (id: string) => h.messages(id).flatMap((m) => (m.event.type === 'text' && m.event.role === 'user' ? [m.event.text] : []));
  const start = async (prompt: string) => {
    const res = h.core.sessions.start({ projectId: project.id, provider: 'claude', prompt });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'running');
    return res.sessionId;
  };
  const doneCount = (id: string) => h.published.filter((p) => p.event === 'agent.status' && p.payload.sessionId === id && p.payload.status === 'done').length;
  const until = (ok: () => boolean) => h.waitFor(() => ok());
  return { ...h, start, userPrompts, doneCount, until };
}

describe('prompt queue in the core', () => {
  it('steers a running turn through the sidecar, then sends the queued prompts in order, one per turn', async () => {
    const h = setup();
    const id = await h.start('slow');
    const pid = h.core.sessions.inspect(id)!.pid;
    expect(h.core.queue.add(id, 'echo a')).toMatchObject({ ok: true, items: [{ text: 'echo a', state: 'queued' }] });
    h.core.queue.add(id, 'echo b');
    expect(await h.core.queue.steer(id, 'echo steer')).toEqual({ ok: true });
    // The steer, then a and b, each after the turn before it ended: four turns, four done.
    await h.waitFor(() => h.doneCount(id) === 4);
    expect(h.userPrompts(id)).toEqual(['slow', 'echo steer', 'echo a', 'echo b']);
    expect(h.core.queue.list(id)).toEqual([]);
    // The interrupt ended the turn in the same sidecar: no stop, no respawn.
    expect(h.core.sessions.inspect(id)!.pid).toBe(pid);
    const reasons = h.published.flatMap((p) => (p.event === 'agent.status' && p.payload.sessionId === id && p.payload.status === 'done' ? [p.payload.reason] : []));
    expect(reasons).toEqual(['stopped', 'completed', 'completed', 'completed']);
    // Each queued prompt shows as starting in the tick its predecessor ended, not `done` until the sidecar answers.
    const statuses = h.published.flatMap((p) => (p.event === 'agent.status' && p.payload.sessionId === id ? [p.payload.status] : []));
    const next = ['done', 'starting', 'running'] as const;
    expect(statuses).toEqual(['starting', 'running', ...next, ...next, ...next, 'done']);
    await h.core.shutdown();
  });

  it('holds the queue as unsent when the user stops the turn, and Retry sends it', async () => {
    const h = setup();
    const id = await h.start('hang');
    h.core.queue.add(id, 'echo later');
    await h.core.sessions.stop(id);
    expect(h.core.queue.list(id)).toMatchObject([{ text: 'echo later', state: 'unsent', error: 'Not sent: the turn was stopped' }]);
    const mark = h.published.length;
    expect(h.core.queue.retry(id)).toMatchObject({ ok: true });
    await h.statusOf(id, 'done', mark);
    expect(h.userPrompts(id)).toEqual(['hang', 'echo later']);
    expect(h.core.queue.list(id)).toEqual([]);
    await h.core.shutdown();
  });
});
