// Runs the real Claude Code bundled with the Agent SDK, offline, against the scripted model server.
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '../../../src/shared/events';
import type { PermissionMode } from '../../../src/shared/providers';
import { offlineClaudeEnv } from '../../../test/agent-env';
import { FINAL_TEXT, OK_COMMAND, WRITE_FILE } from '../../../test/model-server/main';
import { collectTurn as turn, ofType, runnerSuite } from '../../../test/runner-suite';
import { ProviderError, type ProviderRunner, type RunnerConfig } from '../types';
import { DEFAULT_DENIAL } from './permissions';
import { createClaudeRunner } from './runner';

const suite = runnerSuite({ tempPrefix: 'corral-claude-runner-' });

/** A config for a fresh project folder and HOME under the test's temp root. */
function config(name: string, permissionMode: PermissionMode, extra: Partial<RunnerConfig> = {}): RunnerConfig {
  const { home, cwd } = suite.folders(name);
  return { provider: 'claude', cwd, permissionMode, env: offlineClaudeEnv(home, suite.server.url), ...extra };
}

/**
 * A `collectTurn` sink that answers every permission request as the user
 * would, with `optionId` (and `message`), once the request is out.
 */
const answering = (runner: ProviderRunner, optionId: string, message?: string) => (events: AgentEvent[]) => (event: AgentEvent) => {
  events.push(event);
  if (event.type === 'permission_request' && !event.answered) queueMicrotask(() => expect(runner.answerPermission!(event.id, optionId, message)).toBe(true));
};

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
    const first = await turn(runner, 'Check the shell works.', undefined, answering(runner, 'allow_once'));
    expect(first.error).toBeUndefined();
    const [init] = ofType(first.events, 'init');
    expect(init!.approvals).toEqual({ policy: 'ask' });
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
    controller.abort(new Error('user stop'));
    const { events, error } = await running;
    expect(error).toBeUndefined();
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

describe('Claude runner permission prompts with the real Claude Code CLI', () => {
  it('asks before Bash under default; a denial with a message leaves the file unwritten and tells the model', async () => {
    const cfg = config('deny-bash', 'default');
    const runner = suite.track(createClaudeRunner(cfg));
    const denied = await turn(runner, 'Check the shell works.', undefined, answering(runner, 'deny', 'Not in this folder, please.'));
    expect(denied.error).toBeUndefined();
    const [request, answered] = ofType(denied.events, 'permission_request');
    expect(request).toMatchObject({ tool: 'Bash', command: OK_COMMAND, acceptsMessage: true });
    expect(request!.answered).toBeUndefined();
    // The card is updated in place with the answer, so a reload still shows it.
    expect(answered).toEqual({ ...request!, answered: { optionId: 'deny' } });
    expect(request!.options.map((o) => o.name)).toEqual(['Allow once', 'Allow for this session', 'Deny']);
    const [call] = ofType(denied.events, 'tool_call');
    expect(ofType(denied.events, 'tool_result')).toEqual([expect.objectContaining({ id: call!.id, isError: true })]);
    expect(ofType(denied.events, 'tool_result')[0]!.output).toContain('Not in this folder, please.');
    expect(existsSync(join(cfg.cwd, 'corral-ok.txt'))).toBe(false);
  });

  it('remembers "Allow for this session": the next Bash call of the session runs without asking', async () => {
    const cfg = config('allow-session', 'default');
    const runner = suite.track(createClaudeRunner(cfg));
    const first = await turn(runner, 'Check the shell works.', undefined, answering(runner, 'allow_session'));
    expect(ofType(first.events, 'permission_request').map((e) => e.answered?.optionId)).toEqual([undefined, 'allow_session']);
    expect(readFileSync(join(cfg.cwd, 'corral-ok.txt'), 'utf8')).toBe('corral-ok\n');
    rmSync(join(cfg.cwd, 'corral-ok.txt'));
    const second = await turn(runner, 'Check it again.', undefined, answering(runner, 'deny'));
    expect(second.error).toBeUndefined();
    expect(ofType(second.events, 'permission_request')).toEqual([]);
    expect(existsSync(join(cfg.cwd, 'corral-ok.txt'))).toBe(true);
  });

  it('asks before a Write under default (with the new text), and not under acceptEdits', async () => {
    const cfg = config('write-default', 'default');
    const runner = suite.track(createClaudeRunner(cfg));
    const denied = await turn(runner, '[scenario:write] Write it.', undefined, answering(runner, 'deny'));
    const [request] = ofType(denied.events, 'permission_request');
    expect(request).toMatchObject({ tool: 'Write', path: join(cfg.cwd, WRITE_FILE.name), diff: { oldText: null, newText: WRITE_FILE.content } });
    expect(ofType(denied.events, 'tool_result')[0]!.output).toContain(DEFAULT_DENIAL);
    expect(existsSync(join(cfg.cwd, WRITE_FILE.name))).toBe(false);

    const edits = config('write-accept', 'acceptEdits');
    const accepting = suite.track(createClaudeRunner(edits));
    const written = await turn(accepting, '[scenario:write] Write it.', undefined, answering(accepting, 'deny'));
    expect(ofType(written.events, 'permission_request')).toEqual([]);
    expect(readFileSync(join(edits.cwd, WRITE_FILE.name), 'utf8')).toBe(WRITE_FILE.content);
  });

  it('asks before Bash under acceptEdits, also for a command that only writes inside the project', async () => {
    const cfg = config('bash-accept', 'acceptEdits');
    const runner = suite.track(createClaudeRunner(cfg));
    const denied = await turn(runner, 'Check the shell works.', undefined, answering(runner, 'deny'));
    expect(ofType(denied.events, 'permission_request')[0]).toMatchObject({ tool: 'Bash', command: OK_COMMAND });
    expect(existsSync(join(cfg.cwd, 'corral-ok.txt'))).toBe(false);
  });

  it('asks nothing under bypassPermissions and says so in init', async () => {
    const cfg = config('bypass', 'bypassPermissions');
    const runner = suite.track(createClaudeRunner(cfg));
    const ran = await turn(runner, 'Check the shell works.', undefined, answering(runner, 'deny'));
    expect(ofType(ran.events, 'init')[0]!.approvals).toEqual({ policy: 'bypass' });
    expect(ofType(ran.events, 'permission_request')).toEqual([]);
    expect(existsSync(join(cfg.cwd, 'corral-ok.txt'))).toBe(true);
  });

  it('plan mode refuses the shell without asking, and nothing is written', async () => {
    const cfg = config('plan', 'plan');
    const runner = suite.track(createClaudeRunner(cfg));
    const planned = await turn(runner, 'Check the shell works.', undefined, answering(runner, 'allow_once'));
    expect(planned.error).toBeUndefined();
    expect(ofType(planned.events, 'permission_request')).toEqual([]);
    expect(existsSync(join(cfg.cwd, 'corral-ok.txt'))).toBe(false);
  });

  it('a stop while a request waits ends the turn quietly and runs nothing', async () => {
    const cfg = config('stop-waiting', 'default');
    const runner = suite.track(createClaudeRunner(cfg));
    const controller = new AbortController();
    const { events, error } = await turn(runner, 'Check the shell works.', controller.signal, (events) => (event) => {
      events.push(event);
      if (event.type === 'permission_request') queueMicrotask(() => controller.abort(new Error('user stop')));
    });
    expect(error).toBeUndefined();
    expect(ofType(events, 'permission_request')).toHaveLength(1);
    expect(runner.answerPermission!(ofType(events, 'permission_request')[0]!.id, 'allow_once')).toBe(false);
    expect(existsSync(join(cfg.cwd, 'corral-ok.txt'))).toBe(false);
  });
});
