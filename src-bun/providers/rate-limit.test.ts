import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AgentEventSchema, type AgentEvent } from '../../src/shared/events';
import { createClaudeAdapter } from './claude/adapter';
import { createCodexAppServerAdapter } from './codex/app-server-adapter';

const rateLimits = (events: AgentEvent[]) => events.filter((e) => e.type === 'rate_limit');

describe('Claude Code rate_limit_event', () => {
  it('maps the recorded event (five-hour window at 91%, warning) to rate_limit', () => {
    const lines = readFileSync(resolve(import.meta.dir, '../../test/fixtures/claude/rate-limit.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
    const adapter = createClaudeAdapter();
    const events = lines.flatMap((l) => adapter.adapt(JSON.parse(l)));
    for (const e of events) expect(AgentEventSchema.parse(e)).toEqual(e);
    expect(rateLimits(events)).toEqual([
      { type: 'rate_limit', status: 'allowed_warning', window: 'five_hour', usedPercent: 91, resetsAt: 1796299200_000 },
    ]);
    // The rest of the stream is unchanged: the reply and its cost still come through.
    expect(events.map((e) => e.type)).toEqual(['init', 'text', 'rate_limit', 'cost']);
  });

  it('drops an event with no info or an unknown status', () => {
    const adapter = createClaudeAdapter();
    for (const raw of [
      { type: 'rate_limit_event' }, { type: 'rate_limit_event', rate_limit_info: { status: 'exploded', utilization: 0.5 } },
      { type: 'rate_limit_event', rate_limit_info: 'x' },
    ]) expect(adapter.adapt(raw)).toEqual([]);
    expect(adapter.adapt({ type: 'rate_limit_event', rate_limit_info: { status: 'rejected', utilization: 7, resetsAt: -1 } })).toEqual([
      { type: 'rate_limit', status: 'rejected', usedPercent: 100 },
    ]);
  });
});

describe('Codex account/rateLimits/updated (shape from the app-server protocol types)', () => {
  const notify = (params: unknown) => createCodexAppServerAdapter().notification('account/rateLimits/updated', params);

  it('reports the fuller window, warning from 90% and rejected once a limit is reached', () => {
    const primary = { usedPercent: 42, windowDurationMins: 300, resetsAt: 1796299200 };
    const secondary = { usedPercent: 93.5, windowDurationMins: 10080, resetsAt: 1796800000 };
    expect(notify({ rateLimits: { limitId: null, primary, secondary, credits: null, rateLimitReachedType: null } })).toEqual([
      { type: 'rate_limit', status: 'allowed_warning', window: 'secondary', usedPercent: 93.5, windowMinutes: 10080, resetsAt: 1796800000_000 },
    ]);
    expect(notify({ rateLimits: { primary, secondary: null } })).toEqual([
      { type: 'rate_limit', status: 'allowed', window: 'primary', usedPercent: 42, windowMinutes: 300, resetsAt: 1796299200_000 },
    ]);
    expect(notify({ rateLimits: { primary: { usedPercent: 100, windowDurationMins: null, resetsAt: null }, rateLimitReachedType: 'rate_limit_reached' } })).toEqual([
      { type: 'rate_limit', status: 'rejected', window: 'primary', usedPercent: 100 },
    ]);
  });

  it('ignores a sparse update with no window, and malformed params', () => {
    for (const params of [{ rateLimits: { primary: null, secondary: null } }, {}, null, { rateLimits: { primary: { usedPercent: 'lots' } } }]) {
      expect(notify(params)).toEqual([]);
    }
  });
});
