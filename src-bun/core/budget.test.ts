import { Database } from 'bun:sqlite';
import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBudget } from './budget';
import { createHarness } from './testdata/harness';
import { backfillUsage, startOfLocalDay } from './usage-log';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'corral-budget-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const DAY_MS = 86_400_000;

function setup(opts?: Parameters<typeof createHarness>[0]) {
  const h = createHarness({ stopGraceMs: 500, ...opts });
  const project = h.core.projects.add(tempDir());
  const start = (prompt: string, projectId = project.id) => {
    const res = h.core.sessions.start({ projectId, provider: 'claude', prompt });
    if (!res.ok) throw new Error(res.error);
    return res.sessionId;
  };
  /** The next status of the session published after `mark`, other than starting/running. */
  const ended = async (id: string, mark: number) => {
    const p = await h.waitFor((e) => e.event === 'agent.status' && e.payload.sessionId === id && !['starting', 'running'].includes(e.payload.status) && h.published.indexOf(e) >= mark);
    return p.event === 'agent.status' ? { status: p.payload.status, reason: p.payload.reason, error: p.payload.error } : null;
  };
  return { ...h, project, start, ended };
}

describe('checkBudget', () => {
  const none = { sessionUsd: null, projectUsd: null };
  it('passes spend at or below the limits, and any spend with no limits', () => {
    expect(checkBudget({ sessionUsd: 1, projectUsd: 5 }, { sessionUsd: 1, projectUsd: 5 })).toBeNull();
    expect(checkBudget(none, { sessionUsd: 1e6, projectUsd: 1e6 })).toBeNull();
  });

  it('names the session limit, the overrun and the spend', () => {
    expect(checkBudget({ sessionUsd: 0.01, projectUsd: null }, { sessionUsd: 0.06, projectUsd: 0.06 })).toEqual({
      scope: 'session', limitUsd: 0.01, spentUsd: 0.06, message: 'Stopped: session budget $0.01 exceeded by $0.05 ($0.06 spent)',
    });
  });

  it('checks the session limit before the project limit, and the project limit alone', () => {
    expect(checkBudget({ sessionUsd: 1, projectUsd: 2 }, { sessionUsd: 3, projectUsd: 3 })?.scope).toBe('session');
    expect(checkBudget({ sessionUsd: 5, projectUsd: 2 }, { sessionUsd: 1, projectUsd: 2.5 })?.message).toBe('Stopped: project budget $2.00 exceeded by $0.50 ($2.50 spent)');
  });

  it('never stops a provider that reports no cost', () => {
    expect(checkBudget({ sessionUsd: 0, projectUsd: null }, { sessionUsd: null, projectUsd: 0 })).toBeNull();
  });
});

describe('budget in the session manager', () => {
  it('stops a turn whose reported cost crosses the session limit, refuses prompts until the limit is raised', async () => {
    const h = setup();
    h.core.setSetting('budget_session_usd', 0.001);
    const id = h.start('echo one'); // the scripted turn reports $0.0025
    const message = 'Stopped: session budget $0.0010 exceeded by $0.0015 ($0.0025 spent)';
    expect(await h.ended(id, 0)).toEqual({ status: 'error', reason: 'budget_exceeded', error: message });
    expect(h.core.sessions.inspect(id)?.pid).toBeNull();
    expect(h.core.store.sessions.get(id)).toMatchObject({ status: 'error', reason: 'budget_exceeded', error: message, costUsd: 0.0025 });
    expect(await h.core.sessions.prompt(id, 'echo two')).toEqual({ ok: false, error: message });

    h.core.setSetting('budget_session_usd', 1);
    const mark = h.published.length;
    expect(await h.core.sessions.prompt(id, 'echo two')).toEqual({ ok: true });
    expect(await h.ended(id, mark)).toEqual({ status: 'done', reason: 'completed', error: undefined });
    await h.core.shutdown();
  });

  it('counts every session of the project against the project limit, and refuses new sessions past it', async () => {
    const h = setup();
    const other = h.core.projects.add(tempDir());
    h.core.setSetting('budget_project_usd', 0.004);
    const first = h.start('echo one');
    expect((await h.ended(first, 0))?.status).toBe('done');
    const otherId = h.start('echo elsewhere', other.id); // another project's spend does not count
    expect((await h.ended(otherId, 0))?.status).toBe('done');
    const second = h.start('echo two');
    expect(await h.ended(second, 0)).toEqual({
      status: 'error', reason: 'budget_exceeded', error: 'Stopped: project budget $0.0040 exceeded by $0.0010 ($0.0050 spent)',
    });
    expect(h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'echo three' })).toEqual({
      ok: false, error: 'Stopped: project budget $0.0040 exceeded by $0.0010 ($0.0050 spent)',
    });
    // Retention purging the sessions does not reset the project's spend.
    h.core.store.sessions.remove([first, second]);
    expect(h.core.store.usage.projectCostUsd(h.project.id)).toBeCloseTo(0.005, 10);
    h.core.setSetting('budget_project_usd', null);
    expect(h.core.sessions.start({ projectId: h.project.id, provider: 'claude', prompt: 'echo three' }).ok).toBe(true);
    await h.core.shutdown();
  });

  it('logs each cost report as the difference it made, dated by the injected clock, and sums it per window', async () => {
    const h = setup();
    const id = h.start('echo one');
    await h.ended(id, 0);
    h.clock.advance(3 * DAY_MS);
    let mark = h.published.length;
    expect(await h.core.sessions.prompt(id, 'echo two')).toEqual({ ok: true }); // running totals $0.005, 200 in, 40 out
    await h.ended(id, mark);
    h.clock.advance(10 * DAY_MS);
    mark = h.published.length;
    const sidecar = h.start('sidecar-cost'); // scope 'sidecar': $0.001, 10 in, 1 out
    await h.ended(sidecar, mark);

    const now = h.clock.now();
    const summary = h.core.usageSummary();
    expect(summary.windows.map((w) => [w.label, w.sinceMs])).toEqual([['today', startOfLocalDay(now)], ['7d', now - 7 * DAY_MS], ['30d', now - 30 * DAY_MS]]);
    const [today, week, month] = summary.windows;
    expect(today.byProvider).toEqual([{ key: 'claude', name: 'claude', costUsd: 0.001, inputTokens: 10, outputTokens: 1 }]);
    expect(week.byProvider).toEqual(today.byProvider);
    expect(month.byProject).toHaveLength(1);
    expect(month.byProject[0]).toMatchObject({ key: h.project.id, name: h.project.name, inputTokens: 210, outputTokens: 41 });
    expect(month.byProject[0].costUsd).toBeCloseTo(0.006, 10);
    await h.core.shutdown();
  });
});

describe('usage log', () => {
  it('stores tokens with no price for a provider that reports no cost', () => {
    const h = setup();
    const base = { sessionId: 's1', projectId: h.project.id, model: 'gpt-5.5', ts: h.clock.now() };
    h.core.store.usage.record({ ...base, provider: 'codex', costUsd: null, inputTokens: 500, outputTokens: 30 });
    h.core.store.usage.record({ ...base, provider: 'codex', costUsd: null, inputTokens: 0, outputTokens: 0 }); // nothing in it: not stored
    const [today] = h.core.usageSummary().windows;
    expect(today.byProvider).toEqual([{ key: 'codex', name: 'codex', costUsd: null, inputTokens: 500, outputTokens: 30 }]);
    expect(h.core.store.usage.projectCostUsd(h.project.id)).toBe(0);
  });

  it('backfills one row per session from its stored totals', async () => {
    const dir = tempDir();
    const h = setup({ dataDir: dir });
    const id = h.start('echo one');
    await h.ended(id, 0);
    await h.core.shutdown();
    const db = new Database(join(dir, 'corral.db'));
    db.run('DELETE FROM usage');
    db.run("INSERT INTO sessions (id, project_id, provider, status, cost_usd, input_tokens, output_tokens, created_at, updated_at) VALUES ('empty', ?, 'codex', 'done', NULL, 0, 0, 1, 1)", [h.project.id]);
    backfillUsage(db);
    expect(db.query('SELECT session_id, provider, cost_usd, input_tokens, output_tokens FROM usage').all()).toEqual([
      { session_id: id, provider: 'claude', cost_usd: 0.0025, input_tokens: 100, output_tokens: 20 },
    ]);
    db.close();
  });
});
