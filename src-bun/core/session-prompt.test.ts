import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TURN_RUNNING } from './session-manager';
import { createHarness } from './testdata/harness';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'corral-prompt-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function setup(opts?: Parameters<typeof createHarness>[0]) {
  const h = createHarness({ stopGraceMs: 500, ...opts });
  const project = h.core.projects.add(tempDir());
  const start = async (prompt: string, until: string) => {
    const res = h.core.sessions.start({ projectId: project.id, provider: 'claude', prompt });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, until);
    return res.sessionId;
  };
  const userPrompts = (id: string) => h.messages(id).flatMap((m) => (m.event.type === 'text' && m.event.role === 'user' ? [m.event.text] : []));
  const stored = (id: string) => h.core.store.messages.load(id).flatMap((m) => (m.event.type === 'text' && m.event.role === 'user' ? [m.event.text] : []));
  return { ...h, start, userPrompts, stored };
}

describe('no double prompt', () => {
  it('refuses a prompt while a turn runs, and neither shows nor stores it', async () => {
    const h = setup();
    const id = await h.start('hang', 'running');
    expect(await h.core.sessions.prompt(id, 'echo sneaky')).toEqual({ ok: false, error: TURN_RUNNING });
    await h.core.sessions.stop(id);
    expect(h.userPrompts(id)).toEqual(['hang']);
    expect(h.stored(id)).toEqual(['hang']);
  });

  it('accepts exactly one of two prompts sent in the same tick to a finished session with a live sidecar (two tabs)', async () => {
    const h = setup();
    const id = await h.start('echo one', 'done');
    const pid = h.core.sessions.inspect(id)!.pid;
    const mark = h.published.length;
    // Neither is awaited before the other is sent; the sidecar has not yet said `running`.
    const results = await Promise.all([h.core.sessions.prompt(id, 'echo two'), h.core.sessions.prompt(id, 'echo three')]);
    expect(results).toEqual([{ ok: true }, { ok: false, error: TURN_RUNNING }]);
    await h.statusOf(id, 'done', mark);
    expect(h.core.sessions.inspect(id)!.pid).toBe(pid);
    expect(h.userPrompts(id)).toEqual(['echo one', 'echo two']);
    expect(h.stored(id)).toEqual(['echo one', 'echo two']);
    await h.core.shutdown();
  });

  it('accepts exactly one of two prompts that arrive while an idle close is under way', async () => {
    const h = setup({ clients: false });
    h.core.setSetting('session_idle_timeout_ms', 2000);
    h.core.setSetting('session_reap_interval_ms', 1000);
    const id = await h.start('echo first', 'done');
    h.clock.advance(3000); // the reaper starts closing the sidecar now
    const mark = h.published.length;
    const results = await Promise.all([h.core.sessions.prompt(id, 'echo second'), h.core.sessions.prompt(id, 'echo third')]);
    expect(results).toEqual([{ ok: true }, { ok: false, error: TURN_RUNNING }]);
    await h.statusOf(id, 'done', mark);
    expect(h.userPrompts(id)).toEqual(['echo first', 'echo second']);
    await h.core.shutdown();
  });

  it('frees the session again when the prompt could not start a sidecar', async () => {
    const h = setup();
    const id = await h.start('echo one', 'done');
    await h.core.sessions.stop(id);
    h.core.store.settings.set('max_sessions', 0);
    expect(await h.core.sessions.prompt(id, 'echo two')).toEqual({ ok: true });
    expect(h.core.sessions.inspect(id)).toMatchObject({ status: 'error', pid: null });
    h.core.store.settings.set('max_sessions', 5);
    const mark = h.published.length;
    expect(await h.core.sessions.prompt(id, 'echo three')).toEqual({ ok: true });
    await h.statusOf(id, 'done', mark);
  });
});
