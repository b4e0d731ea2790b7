import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from './testdata/harness';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'corral-sup-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function setup(opts?: Parameters<typeof createHarness>[0]) {
  const h = createHarness({ stopGraceMs: 500, ...opts });
  const project = h.core.projects.add(tempDir());
  const start = (prompt: string) => {
    const res = h.core.sessions.start({ projectId: project.id, provider: 'claude', prompt });
    if (!res.ok) throw new Error(res.error);
    return res.sessionId;
  };
  return { ...h, project, start };
}
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('crash recovery', () => {
  it('recovers a crashed sidecar after 1 s, resuming the provider session and re-sending the prompt', async () => {
    const h = setup();
    const flag = join(tempDir(), 'crashed');
    const id = h.start(`crash-once ${flag}`);
    const err = await h.statusOf(id, 'error');
    expect(err.payload).toMatchObject({ error: expect.stringContaining('exited with code 3; recovering in 1 s (attempt 1 of 3)') });
    const mark = h.published.length;
    h.clock.advance(999);
    expect(h.published.length).toBe(mark);
    h.clock.advance(1);
    await h.statusOf(id, 'done', mark);
    const texts = h.messages(id).map((m) => (m.event.type === 'text' ? m.event.text : m.event.type));
    expect(texts).toEqual([`crash-once ${flag}`, 'recovered']);
    expect(h.core.sessions.inspect(id)?.crashes).toBe(0);
  });

  it('reports a sidecar that exits before its first line of the turn', async () => {
    const h = setup();
    const id = h.start('vanish');
    const err = await h.statusOf(id, 'error');
    expect(err.payload).toMatchObject({ reason: 'crashed', error: expect.stringContaining('exited with code 7') });
  });

  it('kills a sidecar that closes its stdout but keeps running, and reports it', async () => {
    const h = setup();
    const id = h.start('mute');
    const pid = h.core.sessions.inspect(id)!.pid!;
    const err = await h.statusOf(id, 'error');
    expect(err.payload).toMatchObject({ error: expect.stringContaining('was killed by SIGKILL') });
    expect(alive(pid)).toBe(false);
    expect(h.logs.some((l) => l.includes('stdout closed while the process kept running'))).toBe(true);
  });

  it('gives up after the third failed recovery and says so', async () => {
    const h = setup();
    const id = h.start('crash');
    for (const [attempt, delay] of [[1, 1000], [2, 2000], [3, 4000]] as const) {
      const err = await h.waitFor((p) => p.event === 'agent.status' && p.payload.sessionId === id && (p.payload.error ?? '').includes(`attempt ${attempt} of 3`));
      expect(err.payload).toMatchObject({ status: 'error' });
      h.clock.advance(delay);
    }
    const final = await h.waitFor((p) => p.event === 'agent.status' && p.payload.sessionId === id && (p.payload.error ?? '').includes('gave up'));
    expect(final.payload).toMatchObject({ status: 'error', error: expect.stringContaining('recovery gave up after 3 attempts') });
    h.clock.advance(60_000);
    expect(h.core.sessions.inspect(id)?.pid).toBeNull();
  });

  it('does not recover after a stop', async () => {
    const h = setup();
    const id = h.start('hang');
    await h.statusOf(id, 'running');
    await h.core.sessions.stop(id);
    h.clock.advance(10_000);
    expect(h.core.sessions.inspect(id)).toMatchObject({ status: 'done', pid: null });
  });

  it('stops a session that is still starting', async () => {
    const h = setup();
    const id = h.start('hang');
    expect(h.core.sessions.inspect(id)?.status).toBe('starting');
    await h.core.sessions.stop(id);
    expect(h.core.store.sessions.get(id)).toMatchObject({ status: 'done', reason: 'stopped' });
  });
});

describe('idle reaper', () => {
  it('soft-closes an idle session with no UI attached, with reason idle_timeout, and a prompt resumes it', async () => {
    const h = setup({ clients: false });
    h.core.setSetting('session_idle_timeout_ms', 2000);
    h.core.setSetting('session_reap_interval_ms', 1000);
    const id = h.start('echo first');
    await h.statusOf(id, 'done');
    const pid = h.core.sessions.inspect(id)!.pid!;
    h.clock.advance(1000);
    expect(alive(pid)).toBe(true);
    h.clock.advance(2000);
    const closed = await h.statusOf(id, 'idle');
    expect(closed.payload).toMatchObject({ reason: 'idle_timeout' });
    expect(alive(pid)).toBe(false);
    const mark = h.published.length;
    expect(await h.core.sessions.prompt(id, 'echo again')).toEqual({ ok: true });
    await h.statusOf(id, 'done', mark);
    expect(h.core.sessions.inspect(id)?.pid).not.toBe(pid);
    await h.core.shutdown();
  });

  it('leaves sessions alone while a UI is attached or a turn runs', async () => {
    const h = setup({ clients: true });
    h.core.setSetting('session_idle_timeout_ms', 2000);
    h.core.setSetting('session_reap_interval_ms', 1000);
    const id = h.start('echo x');
    await h.statusOf(id, 'done');
    h.clock.advance(10_000);
    expect(h.core.sessions.inspect(id)?.pid).not.toBeNull();
    await h.core.shutdown();
  });
});

describe('session cap', () => {
  it('evicts the idlest idle session when full, and refuses clearly when none is idle', async () => {
    const h = setup();
    h.core.store.settings.set('max_sessions', 2);
    const projects = [h.project, h.core.projects.add(tempDir()), h.core.projects.add(tempDir()), h.core.projects.add(tempDir())];
    const startOn = (i: number, prompt: string) => h.core.sessions.start({ projectId: projects[i].id, provider: 'claude', prompt });
    const a = startOn(0, 'echo a');
    if (!a.ok) throw new Error(a.error);
    await h.statusOf(a.sessionId, 'done');
    h.clock.advance(10);
    const b = startOn(1, 'hang');
    if (!b.ok) throw new Error(b.error);
    const c = startOn(2, 'hang');
    expect(c.ok).toBe(true);
    const evicted = await h.statusOf(a.sessionId, 'idle');
    expect(evicted.payload).toMatchObject({ reason: 'evicted' });
    const d = startOn(3, 'hang');
    expect(d).toEqual({ ok: false, error: 'Too many running sessions (2 of 2): stop one or wait for one to finish' });
    await h.core.shutdown();
  });
});

describe('zombie detection', () => {
  it('kills a running sidecar that is silent and idle on CPU, ending the session as unresponsive', async () => {
    const h = setup({ cpuTicks: () => 42 });
    h.core.store.settings.set('generator_idle_ms', 60_000);
    const id = h.start('hang');
    await h.statusOf(id, 'running');
    const pid = h.core.sessions.inspect(id)!.pid!;
    h.clock.advance(60_000);
    const err = await h.statusOf(id, 'error');
    expect(err.payload).toMatchObject({ error: 'sidecar unresponsive, killed' });
    expect(alive(pid)).toBe(false);
    h.clock.advance(10_000);
    expect(h.core.sessions.inspect(id)?.pid).toBeNull();
  });
});

describe('retention on completion', () => {
  it('keeps the newest N finished sessions of the project in the database, closing purged sidecars', async () => {
    const h = setup();
    h.core.setSetting('retention_count', 2);
    const ids: string[] = [];
    for (const word of ['one', 'two', 'three']) {
      const id = h.start(`echo ${word}`);
      await h.statusOf(id, 'done');
      ids.push(id);
      h.clock.advance(1000);
    }
    const purged = await h.waitFor((p) => p.event === 'session.purged');
    expect(purged.payload).toEqual({ projectId: h.project.id, sessionIds: [ids[0]] });
    expect(h.core.store.sessions.ofProject(h.project.id).map((s) => s.id)).toEqual([ids[2], ids[1]]);
    expect(h.core.store.messages.load(ids[0])).toEqual([]);
    // The search index is purged with the messages: the purged session's prompt is no longer found.
    expect(h.core.store.search('echo one', 10)).toEqual([]);
    expect(h.core.store.search('echo three', 10).map((hit) => hit.sessionId)).toContain(ids[2]);
    expect(h.core.sessions.inspect(ids[0])).toBeNull();
    await h.core.shutdown();
  });
});

describe('cost scope', () => {
  it('adds sidecar-scoped totals to what the session had before the sidecar started', async () => {
    const h = setup();
    const id = h.start('echo one');
    await h.statusOf(id, 'done');
    expect(h.core.store.sessions.get(id)).toMatchObject({ costUsd: 0.0025, inputTokens: 100 });
    await h.core.sessions.stop(id);
    const mark = h.published.length;
    await h.core.sessions.prompt(id, 'sidecar-cost');
    await h.statusOf(id, 'done', mark);
    // The new sidecar reported 0.001 USD / 10 tokens since it started: added to the earlier 0.0025 / 100.
    expect(h.core.store.sessions.get(id)?.costUsd).toBeCloseTo(0.0035, 10);
    expect(h.core.store.sessions.get(id)?.inputTokens).toBe(110);
  });
});

describe('prompt during a close', () => {
  it('waits for an idle close under way, then resumes the session in a new sidecar', async () => {
    const h = setup({ clients: false });
    h.core.setSetting('session_idle_timeout_ms', 2000);
    h.core.setSetting('session_reap_interval_ms', 1000);
    const id = h.start('echo first');
    await h.statusOf(id, 'done');
    const pid = h.core.sessions.inspect(id)!.pid!;
    h.clock.advance(3000); // the reaper decides to close it now
    const mark = h.published.length;
    // Sent while the close is under way: accepted once it finishes, not refused.
    expect(await h.core.sessions.prompt(id, 'echo second')).toEqual({ ok: true });
    await h.statusOf(id, 'done', mark);
    expect(h.core.sessions.inspect(id)?.pid).not.toBe(pid);
    expect(alive(pid)).toBe(false);
    await h.core.shutdown();
  });
});
