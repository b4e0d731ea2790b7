// Runs the real Claude Code bundled with the Agent SDK, offline, against the scripted model server.
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '../../../src/shared/events';
import type { PermissionMode } from '../../../src/shared/providers';
import { offlineClaudeEnv } from '../../../test/agent-env';
import { FINAL_TEXT, OK_COMMAND } from '../../../test/model-server/main';
import { collectTurn as turn, ofType, runnerSuite } from '../../../test/runner-suite';
import { ProviderError, type RunnerConfig } from '../types';
import { allowedToolsFor, createClaudeRunner } from './runner';

const suite = runnerSuite({ tempPrefix: 'corral-claude-runner-' });

/** A config for a fresh project folder and HOME under the test's temp root. */
function config(name: string, permissionMode: PermissionMode, extra: Partial<RunnerConfig> = {}): RunnerConfig {
  const { home, cwd } = suite.folders(name);
  return { provider: 'claude', cwd, permissionMode, env: offlineClaudeEnv(home, suite.server.url), ...extra };
}

/** Complete text blocks (the runner also streams `append` deltas on the same id before each). */
const finalTexts = (events: AgentEvent[]) => ofType(events, 'text').filter((t) => t.mode === 'replace').map((t) => t.text);
/** What a pane shows per text id once deltas are merged. */
const merged = (events: AgentEvent[]) => {
  const byId = new Map<string, string>();
  for (const t of ofType(events, 'text')) byId.set(t.id, t.mode === 'append' ? (byId.get(t.id) ?? '') + t.text : t.text);
  return [...byId.values()];
};

describe('Claude runner with the real Claude Code CLI', () => {
  it('runs a tool turn, then resumes the same Claude session for a follow-up', async () => {
    const cfg = config('resume', 'default');
    const runner = createClaudeRunner(cfg);
    const first = await turn(runner, 'Check the shell works.');
    expect(first.error).toBeUndefined();
    const [init] = ofType(first.events, 'init');
    expect(init!.providerSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(init!.cwd).toBe(cfg.cwd);
    const [call] = ofType(first.events, 'tool_call');
    expect(call).toMatchObject({ name: 'Bash', command: OK_COMMAND });
    expect(ofType(first.events, 'tool_result')).toEqual([{ type: 'tool_result', id: call!.id, output: 'corral-ok', isError: false }]);
    expect(readFileSync(join(cfg.cwd, 'corral-ok.txt'), 'utf8')).toBe('corral-ok\n');
    const [firstCost] = ofType(first.events, 'cost');
    expect(firstCost!.costUsd!).toBeGreaterThan(0);

    const second = await turn(runner, '[scenario:text] What did you do?');
    expect(second.error).toBeUndefined();
    expect(ofType(second.events, 'init')[0]!.providerSessionId).toBe(init!.providerSessionId);
    expect(finalTexts(second.events)).toEqual([FINAL_TEXT.text]);
    expect(ofType(second.events, 'text').filter((t) => t.mode === 'append').length).toBeGreaterThan(1);
    expect(merged(second.events)).toEqual([FINAL_TEXT.text]);
    // The resumed session's cost is a running total.
    expect(ofType(second.events, 'cost')[0]!.costUsd!).toBeGreaterThan(firstCost!.costUsd!);
    await runner.close();
  });

  it('resumes a session given by config.resumeId', async () => {
    const cfg = config('resume-id', 'acceptEdits');
    const first = await turn(createClaudeRunner(cfg), '[scenario:text] Hello.');
    const sessionId = ofType(first.events, 'init')[0]!.providerSessionId;
    const resumed = await turn(createClaudeRunner({ ...cfg, resumeId: sessionId }), '[scenario:write] Now write.');
    expect(resumed.error).toBeUndefined();
    expect(ofType(resumed.events, 'init')[0]!.providerSessionId).toBe(sessionId);
    expect(ofType(resumed.events, 'tool_call')[0]).toMatchObject({ name: 'Write', path: join(cfg.cwd, 'corral-write.txt') });
    expect(existsSync(join(cfg.cwd, 'corral-write.txt'))).toBe(true);
  });

  it('ends a slow turn promptly when its signal aborts', async () => {
    const runner = createClaudeRunner(config('abort', 'bypassPermissions'));
    const controller = new AbortController();
    const before = suite.server.requests.length;
    const running = turn(runner, '[scenario:slow:30] Take your time.', controller.signal);
    const deadline = Date.now() + 15_000;
    while (!suite.server.requests.slice(before).some((r) => r.scenario === 'slow') && Date.now() < deadline) await Bun.sleep(25);
    expect(suite.server.requests.slice(before).some((r) => r.scenario === 'slow')).toBe(true);
    await Bun.sleep(500); // a couple of 200 ms ticks of text
    const abortedAt = performance.now();
    controller.abort(new Error('user stop'));
    const { events, error } = await running;
    const stopMs = performance.now() - abortedAt;
    expect(error).toBeUndefined();
    expect(stopMs).toBeLessThan(1_000);
    expect(ofType(events, 'init')).toHaveLength(1);
    expect(ofType(events, 'error')).toEqual([]);
    // Interrupted, not killed: Claude Code hands back the partial text and the cost so far.
    expect(merged(events)[0]).toStartWith('tick 1 ');
    expect(ofType(events, 'cost')[0]!.costUsd!).toBeGreaterThan(0);
    // The runner is free for the next turn.
    const next = await turn(runner, '[scenario:text] Again.');
    expect(next.error).toBeUndefined();
    expect(finalTexts(next.events)).toEqual([FINAL_TEXT.text]);
  });

  it('throws a retryable ProviderError on HTTP 500 without retrying, and a fatal one for prompt too long', async () => {
    const runner = createClaudeRunner(config('errors', 'default'));
    const before = suite.server.requests.length;
    const failed = await turn(runner, '[scenario:http500] Anything.');
    expect(failed.error).toBeInstanceOf(ProviderError);
    expect((failed.error as ProviderError).message).toStartWith('API Error: 500');
    expect((failed.error as ProviderError).fatal).toBeUndefined();
    expect(ofType(failed.events, 'error')).toHaveLength(1);
    expect(suite.server.requests.slice(before).filter((r) => r.path === '/v1/messages')).toHaveLength(1);

    const tooLong = await turn(runner, '[scenario:prompt-too-long] Anything.');
    expect(tooLong.error).toBeInstanceOf(ProviderError);
    expect((tooLong.error as ProviderError).fatal).toBe('prompt_too_long');
  });
});

describe('Claude runner options', () => {
  it('pre-approves the shell without a human in default and acceptEdits, edits only in acceptEdits', () => {
    expect(allowedToolsFor('default')).toContain('Bash');
    expect(allowedToolsFor('default')).not.toContain('Write');
    expect(allowedToolsFor('acceptEdits')).toEqual(expect.arrayContaining(['Bash', 'Write', 'Edit']));
    expect(allowedToolsFor('plan')).not.toContain('Bash');
    expect(allowedToolsFor('bypassPermissions')).toEqual([]);
  });
});
