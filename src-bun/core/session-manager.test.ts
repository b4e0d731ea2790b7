import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_FRAME_MESSAGES, WRITE_CHUNK_ROWS } from './session-ingest';
import { createHarness } from './testdata/harness';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'corral-sm-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function setup(opts?: Parameters<typeof createHarness>[0]) {
  const h = createHarness(opts);
  const project = h.core.projects.add(tempDir());
  return { ...h, project };
}

describe('session manager', () => {
  it('runs a turn: user prompt and assistant text with increasing seqIds, status starting→running→done, cost totals', async () => {
    const h = setup();
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'echo hi' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'done');
    const msgs = h.messages(res.sessionId);
    expect(msgs.map((m) => m.seqId)).toEqual([0, 1]);
    expect(msgs[0].event).toMatchObject({ type: 'text', role: 'user', text: 'echo hi' });
    expect(msgs[1].event).toMatchObject({ type: 'text', role: 'assistant', text: 'you said hi' });
    const statuses = h.published.filter((p) => p.event === 'agent.status').map((p) => p.payload.status);
    expect(statuses).toEqual(['starting', 'running', 'done']);
    const cost = h.published.find((p) => p.event === 'agent.cost');
    expect(cost?.payload).toMatchObject({ costUsd: 0.0025, inputTokens: 100, outputTokens: 20 });
    const row = h.core.store.sessions.get(res.sessionId);
    expect(row).toMatchObject({ status: 'done', reason: 'completed', providerSessionId: expect.stringMatching(/^prov-/), costUsd: 0.0025 });
  });

  it('sends a burst in frames of at most MAX_FRAME_MESSAGES, in seqId order with none missing, all before the status that ends the turn', async () => {
    const h = setup();
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'burst 1500' });
    if (!res.ok) throw new Error(res.error);
    const done = await h.statusOf(res.sessionId, 'done');
    const frames = h.published.filter((p) => p.event === 'agent.message' && p.payload.sessionId === res.sessionId);
    const seqIds = h.messages(res.sessionId).map((m) => m.seqId);
    // The prompt, init (not shown: its approvals are unknown), then a tool call and its result per call.
    expect(seqIds).toEqual(Array.from({ length: 3001 }, (_, i) => i));
    expect(Math.max(...frames.map((f) => (f.event === 'agent.message' ? f.payload.messages.length : 0)))).toBeLessThanOrEqual(MAX_FRAME_MESSAGES);
    expect(frames.length).toBeGreaterThanOrEqual(Math.ceil(3001 / MAX_FRAME_MESSAGES));
    expect(frames.every((f) => h.published.indexOf(f) < h.published.indexOf(done))).toBe(true);
    // The ended turn is written at once, in chunks of WRITE_CHUNK_ROWS with the event loop running between them.
    expect(h.core.store.messages.load(res.sessionId)).toHaveLength(WRITE_CHUNK_ROWS);
    for (let tick = 0; tick < 5 && h.core.store.messages.load(res.sessionId).length < seqIds.length; tick++) await new Promise((r) => setImmediate(r));
    expect(h.core.store.messages.load(res.sessionId).map((m) => m.seqId)).toEqual(seqIds);
  });

  it("continues the same session on a follow-up, keeping the provider's running cost totals and monotonic seqIds", async () => {
    const h = setup();
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'echo one' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'done');
    const mark = h.published.length;
    expect(await h.core.sessions.prompt(res.sessionId, 'echo two')).toEqual({ ok: true });
    await h.statusOf(res.sessionId, 'done', mark);
    expect(h.messages(res.sessionId).map((m) => m.seqId)).toEqual([0, 1, 2, 3]);
    expect(h.core.store.sessions.get(res.sessionId)?.costUsd).toBeCloseTo(0.005, 10);
    expect(h.core.store.sessions.get(res.sessionId)?.inputTokens).toBe(200);
  });

  it('refuses a second start on a project while one is starting', () => {
    const h = setup();
    const first = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'hang' });
    expect(first.ok).toBe(true);
    expect(h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'hang' })).toEqual({ ok: false, error: 'Session start already in progress' });
    return h.core.shutdown();
  });

  it('refuses a cwd outside the project with a clear error', () => {
    const h = setup();
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'echo x', options: { cwd: tempDir() } });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error).toContain('is outside the project');
  });

  it('stops a hanging turn: session done with reason stopped, received messages saved', async () => {
    const h = setup();
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'hang' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'running');
    const pid = h.core.sessions.inspect(res.sessionId)?.pid;
    await h.core.sessions.stop(res.sessionId);
    expect(h.core.store.sessions.get(res.sessionId)).toMatchObject({ status: 'done', reason: 'stopped' });
    expect(h.core.store.messages.load(res.sessionId).map((m) => m.event.type)).toEqual(['text']);
    expect(() => process.kill(pid!, 0)).toThrow();
  });

  it('kills a sidecar that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const h = setup({ stopGraceMs: 300 });
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'stubborn' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'running');
    const pid = h.core.sessions.inspect(res.sessionId)!.pid!;
    await h.core.sessions.stop(res.sessionId);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(h.core.store.sessions.get(res.sessionId)?.reason).toBe('stopped');
  });

  it('reports a sidecar crash as error with the exit code and keeps what it sent', async () => {
    const h = setup();
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'crash' });
    if (!res.ok) throw new Error(res.error);
    const err = await h.statusOf(res.sessionId, 'error');
    expect(err.payload).toMatchObject({ reason: 'crashed', error: expect.stringContaining('exited with code 3') });
    expect(h.messages(res.sessionId).map((m) => m.event.type === 'text' && m.event.text)).toEqual(['crash', 'about to crash']);
  });

  it('counts and logs bad sidecar lines without losing the good ones', async () => {
    const h = setup();
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'garbage' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'done');
    expect(h.messages(res.sessionId).slice(1).map((m) => m.event.type === 'text' && m.event.text)).toEqual(['one', 'two']);
    expect(h.logs.filter((l) => l.includes('dropped sidecar line'))).toHaveLength(3);
  });

  it('passes the environment through minus nested-session markers, plus extraEnv', async () => {
    const h = setup({ baseEnv: { ...(process.env as Record<string, string>), CLAUDECODE: '1', ANTHROPIC_BASE_URL: 'http://x' } });
    const ask = async (prompt: string, extraEnv?: Record<string, string>) => {
      const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt, options: extraEnv ? { extraEnv } : undefined });
      if (!res.ok) throw new Error(res.error);
      await h.statusOf(res.sessionId, 'done');
      const last = h.messages(res.sessionId).at(-1)!.event;
      return last.type === 'text' ? last.text : '';
    };
    expect(await ask('env CLAUDECODE')).toBe('CLAUDECODE=<unset>');
    expect(await ask('env ANTHROPIC_BASE_URL')).toBe('ANTHROPIC_BASE_URL=http://x');
    expect(await ask('env MY_FLAG', { MY_FLAG: 'on' })).toBe('MY_FLAG=on');
  });

  it('saves events itself after the debounce window when no UI is attached', async () => {
    const h = setup({ clients: false });
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'hang' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'running');
    expect(h.core.store.messages.load(res.sessionId)).toHaveLength(0);
    h.clock.advance(2000);
    expect(h.core.store.messages.load(res.sessionId)).toHaveLength(1);
    await h.core.shutdown();
  });

  it('persists through the seqId the store names, from what the main process holds', async () => {
    const h = setup();
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'hang' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'running');
    expect(h.core.store.messages.load(res.sessionId)).toHaveLength(0);
    expect(await h.core.sessions.persist(res.sessionId, 0)).toBe(0);
    expect(h.core.store.messages.load(res.sessionId)).toEqual(h.messages(res.sessionId));
    expect(h.core.sessions.inspect(res.sessionId)?.unacked).toBe(0);
    await expect(h.core.sessions.persist('nope', 0)).rejects.toThrow('Unknown session nope');
    await h.core.shutdown();
  });

  it('shuts down gracefully: pending events written, sidecars gone, mid-turn session interrupted and resumable after restart', async () => {
    const dataDir = tempDir();
    const h = setup({ dataDir });
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'hang' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'running');
    const pid = h.core.sessions.inspect(res.sessionId)!.pid!;
    const { saved, stopped } = await h.core.shutdown();
    expect({ saved, stopped }).toEqual({ saved: 1, stopped: 1 });
    expect(() => process.kill(pid, 0)).toThrow();

    const again = createHarness({ dataDir });
    expect(again.core.store.sessions.get(res.sessionId)).toMatchObject({ status: 'interrupted' });
    expect(await again.core.sessions.prompt(res.sessionId, 'echo back')).toEqual({ ok: true });
    await again.statusOf(res.sessionId, 'done');
    const msgs = again.messages(res.sessionId);
    expect(msgs.map((m) => m.seqId)).toEqual([1, 2]);
    // The follow-up resumed the provider session recorded before the restart.
    expect(again.core.store.sessions.get(res.sessionId)?.providerSessionId).toBe(`prov-${pid}`);
    await again.core.shutdown();
  });

  it('answers session.sync with the live status, the unwritten messages and one boot id per run', async () => {
    const h = setup();
    const res = h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'hang' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'running');
    const first = h.core.sessions.sync([{ sessionId: res.sessionId, afterSeqId: -1 }, { sessionId: 'gone', afterSeqId: 4 }]);
    expect(first.sessions[0]).toMatchObject({ record: { id: res.sessionId, status: 'running' }, messages: [{ seqId: 0, event: { role: 'user', text: 'hang' } }] });
    expect(first.sessions[1]).toMatchObject({ sessionId: 'gone', record: null });
    expect(h.core.sessions.sync([{ sessionId: res.sessionId, afterSeqId: 0 }])).toMatchObject({ bootId: first.bootId, sessions: [{ messages: [] }] });
    await h.core.shutdown();
  });
});
