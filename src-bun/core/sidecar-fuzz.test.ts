import { describe, expect, it } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from './testdata/harness';

describe('hostile sidecar output', () => {
  it('survives 10,000 random and mutated lines from a real sidecar and delivers every valid event, in order', async () => {
    const h = createHarness();
    const project = h.core.projects.add(mkdtempSync(join(tmpdir(), 'corral-fuzz-')));
    const res = h.core.sessions.start({ projectId: project.id, provider: 'claude', prompt: 'fuzz 10000 7' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'done');
    const texts = h.messages(res.sessionId).slice(1).map((m) => (m.event.type === 'text' ? m.event.id : `unexpected ${m.event.type}`));
    // The generator's valid lines are v0, v1, … with no gaps; count them from what arrived and check the sequence.
    expect(texts.length).toBeGreaterThan(3000);
    expect(texts).toEqual(texts.map((_, i) => `v${i}`));
    const dropped = h.logs.filter((l) => l.includes('dropped sidecar line'));
    expect(dropped.length).toBeGreaterThan(5000);
    expect(dropped.some((l) => l.includes('over the 8 MiB limit'))).toBe(true);
    // Every log line quotes at most 200 characters of what it dropped.
    expect(Math.max(...dropped.map((l) => l.length))).toBeLessThan(400);
    // The session is still usable afterwards.
    const mark = h.published.length;
    expect(await h.core.sessions.prompt(res.sessionId, 'echo still here')).toEqual({ ok: true });
    await h.statusOf(res.sessionId, 'done', mark);
    await h.core.shutdown();
  }, 30_000);
});
