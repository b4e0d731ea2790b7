import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addTurnToolCall, describeToolCalls, noTurnToolCalls, planRecovery, type TurnToolCall } from './crash-recovery';
import { createHarness } from './testdata/harness';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'corral-crash-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
/** A turn that started `list`, in order. */
const turnOf = (list: TurnToolCall[]) => {
  const calls = noTurnToolCalls();
  for (const call of list) addTurnToolCall(calls, call);
  return calls;
};

describe('recovery decision', () => {
  it('re-sends a crashed turn that started no tool call, after 1, 2 and 4 s, then gives up', () => {
    const plans = [1, 2, 3, 4].map((crashes) => planRecovery({ crashes, fatal: false, toolCalls: turnOf([]) }));
    expect(plans).toEqual([
      { kind: 'resend', delayMs: 1000, attempt: 1 },
      { kind: 'resend', delayMs: 2000, attempt: 2 },
      { kind: 'resend', delayMs: 4000, attempt: 3 },
      { kind: 'give-up', why: 'recovery gave up after 3 attempts' },
    ]);
  });

  it('never re-sends a turn that started a tool call: it is interrupted, naming the calls', () => {
    const toolCalls = turnOf([{ name: 'Bash', detail: 'echo x >> f' }]);
    expect(planRecovery({ crashes: 1, fatal: false, toolCalls })).toEqual({ kind: 'interrupt', ranBefore: 'Bash `echo x >> f`' });
    expect(planRecovery({ crashes: 3, fatal: false, toolCalls })).toMatchObject({ kind: 'interrupt' });
  });

  it('gives up after a fatal provider error, tool calls or not', () => {
    expect(planRecovery({ crashes: 1, fatal: true, toolCalls: turnOf([]) })).toEqual({ kind: 'give-up', why: 'not restarted after a fatal error' });
    expect(planRecovery({ crashes: 1, fatal: true, toolCalls: turnOf([{ name: 'Read', detail: null }]) })).toMatchObject({ kind: 'give-up' });
  });

  it('describes tool calls on one line, long commands cut, beyond five counted', () => {
    expect(describeToolCalls(turnOf([{ name: 'Read', detail: null }, { name: 'Write', detail: '/p/a.txt' }]))).toBe('Read, Write `/p/a.txt`');
    expect(describeToolCalls(turnOf([{ name: 'Bash', detail: 'printf `x`\n  && ls' }]))).toBe("Bash `printf 'x' && ls`");
    const long = describeToolCalls(turnOf([{ name: 'Bash', detail: 'y'.repeat(500) }]));
    expect(long).toBe(`Bash \`${'y'.repeat(119)}…\``);
    const many = Array.from({ length: 7 }, (_, i) => ({ name: `T${i}`, detail: null }));
    expect(describeToolCalls(turnOf(many))).toBe('T0, T1, T2, T3, T4 and 2 more');
  });

  it('keeps five of a long turn\'s tool calls and counts the rest', () => {
    const calls = turnOf(Array.from({ length: 50_000 }, (_, i) => ({ name: `T${i}`, detail: `cmd ${i}` })));
    expect(calls.named.map((c) => c.name)).toEqual(['T0', 'T1', 'T2', 'T3', 'T4']);
    expect(calls.count).toBe(50_000);
    expect(describeToolCalls(calls)).toBe('T0 `cmd 0`, T1 `cmd 1`, T2 `cmd 2`, T3 `cmd 3`, T4 `cmd 4` and 49995 more');
    expect(planRecovery({ crashes: 1, fatal: false, toolCalls: calls })).toMatchObject({ kind: 'interrupt' });
  });
});

describe('crash after a tool call', () => {
  function setup() {
    const h = createHarness({ stopGraceMs: 500 });
    const project = h.core.projects.add(tempDir());
    const start = (prompt: string) => {
      const res = h.core.sessions.start({ projectId: project.id, provider: 'claude', prompt });
      if (!res.ok) throw new Error(res.error);
      return res.sessionId;
    };
    return { ...h, start };
  }

  it('leaves the session interrupted, runs nothing on its own, and a prompt resumes the provider session', async () => {
    const h = setup();
    const file = join(tempDir(), 'appended.txt');
    const id = h.start(`tool-crash ${file}`);
    const interrupted = await h.statusOf(id, 'interrupted');
    expect(interrupted.payload).toMatchObject({
      reason: 'crashed',
      error: `The agent sidecar exited with code 3 during a turn that had started tool calls, so its prompt was not sent again. Interrupted after: Bash \`echo x >> ${file}\``,
    });
    const providerSessionId = h.core.store.sessions.get(id)!.providerSessionId;
    expect(h.core.store.sessions.get(id)).toMatchObject({ status: 'interrupted', reason: 'crashed', sidecarPid: null });

    // Well past every backoff (1 + 2 + 4 s): no sidecar, no new status, the command ran once.
    const mark = h.published.length;
    h.clock.advance(60_000);
    expect(h.published.slice(mark).filter((p) => p.event === 'agent.status')).toEqual([]);
    expect(h.core.sessions.inspect(id)).toMatchObject({ status: 'interrupted', pid: null, crashes: 1 });
    expect(readFileSync(file, 'utf8')).toBe('x\n');

    // The user's Continue: a follow-up prompt into the same provider session.
    expect(await h.core.sessions.prompt(id, 'echo continued')).toEqual({ ok: true });
    await h.statusOf(id, 'done', mark);
    expect(h.core.store.sessions.get(id)?.providerSessionId).toBe(providerSessionId);
    const users = h.messages(id).filter((m) => m.event.type === 'text' && m.event.role === 'user').map((m) => m.event.type === 'text' && m.event.text);
    expect(users).toEqual([`tool-crash ${file}`, 'echo continued']);
    expect(readFileSync(file, 'utf8')).toBe('x\n');
    expect(h.core.sessions.inspect(id)?.crashes).toBe(0);
    await h.core.shutdown();
  });

  it('re-sends a turn that crashed before any tool call, at exactly 1 s on the injected clock', async () => {
    const h = setup();
    const flag = join(tempDir(), 'crashed');
    const id = h.start(`crash-once ${flag}`);
    await h.statusOf(id, 'error');
    const mark = h.published.length;
    h.clock.advance(999);
    expect(h.published.length).toBe(mark);
    h.clock.advance(1);
    expect(h.published[mark]?.payload).toMatchObject({ sessionId: id, status: 'starting' });
    await h.statusOf(id, 'done', mark);
    await h.core.shutdown();
  });
});
