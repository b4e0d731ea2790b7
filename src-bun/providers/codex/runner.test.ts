// Runs the real Codex CLI (bundled @openai/codex 0.169), offline, against the scripted model server.
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '../../../src/shared/events';
import type { PermissionMode } from '../../../src/shared/providers';
import { readStat, groupMembers } from '../../core/process-tree';
import { CODEX_TEST_MODEL, codexHomeOutsideTmp, offlineCodexEnv, writeOfflineCodexConfig } from '../../../test/agent-env';
import { EDIT_FILE, FINAL_TEXT, OK_COMMAND, WRITE_FILE } from '../../../test/model-server/main';
import { collectTurn as turn, ofType, runnerSuite } from '../../../test/runner-suite';
import { ProviderError, type RunnerConfig } from '../types';
import { codexApprovals, codexArgs, codexPolicy, createCodexRunner } from './runner';

const suite = runnerSuite({ tempPrefix: 'corral-codex-runner-' });

/** A config for a fresh project folder and HOME under the test's temp root, and a CODEX_HOME outside /tmp (see codexHomeOutsideTmp). */
function config(name: string, permissionMode: PermissionMode, extra: Partial<RunnerConfig> = {}): RunnerConfig {
  const { home, cwd } = suite.folders(name);
  const codexHome = codexHomeOutsideTmp(`runner-${name}`);
  writeOfflineCodexConfig(codexHome, suite.server.url);
  return { provider: 'codex', cwd, permissionMode, model: CODEX_TEST_MODEL, env: offlineCodexEnv(home, codexHome), ...extra };
}

describe('Codex runner with the real Codex CLI', () => {
  it('runs a tool turn, then resumes the same thread for a follow-up', async () => {
    const cfg = config('resume', 'default');
    const runner = createCodexRunner(cfg);
    const first = await turn(runner, 'Check the shell works.');
    expect(first.error).toBeUndefined();
    const [init] = ofType(first.events, 'init');
    expect(init).toMatchObject({ model: CODEX_TEST_MODEL, cwd: cfg.cwd, version: '0.169.0', approvals: { policy: 'unattended', sandbox: 'workspace-write' } });
    expect(ofType(first.events, 'tool_call')).toHaveLength(1);
    const [call] = ofType(first.events, 'tool_call');
    expect(call!.command).toBe(OK_COMMAND);
    expect(ofType(first.events, 'tool_result')).toEqual([{ type: 'tool_result', id: call!.id, output: 'corral-ok', isError: false }]);
    expect(readFileSync(join(cfg.cwd, 'corral-ok.txt'), 'utf8')).toBe('corral-ok\n');
    const [firstCost] = ofType(first.events, 'cost');
    expect(firstCost!.costUsd).toBeNull();

    const before = suite.server.requests.length;
    const second = await turn(runner, '[scenario:text] What did you do?');
    expect(second.error).toBeUndefined();
    expect(ofType(second.events, 'init')[0]!.providerSessionId).toBe(init!.providerSessionId);
    expect(ofType(second.events, 'text').map((t) => t.text)).toEqual([FINAL_TEXT.text]);
    // The model saw the earlier turn: the thread was resumed, not restarted.
    expect(suite.server.requests.slice(before)[0]!.historyTurns).toBeGreaterThan(0);
    expect(ofType(second.events, 'cost')[0]!.inputTokens).toBeGreaterThan(firstCost!.inputTokens);
    // Event ids of the two turns never collide, although Codex numbers items from 0 each time.
    const ids = (events: AgentEvent[]) => events.flatMap((e) => ('id' in e ? [e.id] : []));
    expect(ids(second.events).filter((id) => ids(first.events).includes(id))).toEqual([]);
    await runner.close();
  });

  it('resumes a thread given by config.resumeId and edits files through apply_patch', async () => {
    const cfg = config('resume-id', 'acceptEdits');
    const first = await turn(createCodexRunner(cfg), '[scenario:text] Hello.');
    const threadId = ofType(first.events, 'init')[0]!.providerSessionId;
    const resumed = await turn(createCodexRunner({ ...cfg, resumeId: threadId }), '[scenario:write] Now write.');
    expect(resumed.error).toBeUndefined();
    expect(ofType(resumed.events, 'init')[0]!.providerSessionId).toBe(threadId);
    expect(ofType(resumed.events, 'tool_call')[0]).toMatchObject({ name: 'apply_patch', path: join(cfg.cwd, WRITE_FILE.name) });
    expect(readFileSync(join(cfg.cwd, WRITE_FILE.name), 'utf8')).toBe(WRITE_FILE.content);
  });

  it('adds the edits of each apply_patch from the rollout: an update placed in the file, then a new file of the next turn', async () => {
    const cfg = config('edit', 'default');
    writeFileSync(join(cfg.cwd, EDIT_FILE.name), EDIT_FILE.before);
    const runner = createCodexRunner(cfg);
    const edit = await turn(runner, '[scenario:edit] Change a line.');
    expect(edit.error).toBeUndefined();
    const editCalls = ofType(edit.events, 'tool_call');
    // The call comes again with its edits before its result, so it never shows as running after it finished.
    expect(edit.events.filter((e) => 'id' in e && e.id === editCalls[0]!.id).map((e) => e.type)).toEqual(['tool_call', 'tool_call', 'tool_result']);
    expect(editCalls[1]!.edits).toEqual([{
      path: join(cfg.cwd, EDIT_FILE.name), oldText: 'charlie\ndelta\necho\n', newText: 'charlie\nDELTA\ndelta two\necho\n', oldStart: 3, newStart: 3,
    }]);
    // The next turn's patch is matched to its own change, never to the earlier patch in the same rollout.
    const write = await turn(runner, '[scenario:write] Now write.');
    expect(ofType(write.events, 'tool_call').at(-1)!.edits).toEqual([
      { path: join(cfg.cwd, WRITE_FILE.name), oldText: null, newText: WRITE_FILE.content, oldStart: 1, newStart: 1 },
    ]);
    await runner.close();
  });

  it('keeps writes out of a read-only sandbox in plan mode', async () => {
    const cfg = config('read-only', 'plan');
    const { events, error } = await turn(createCodexRunner(cfg), 'Check the shell works.');
    expect(error).toBeUndefined();
    expect(existsSync(join(cfg.cwd, 'corral-ok.txt'))).toBe(false);
    expect(ofType(events, 'text').map((t) => t.text)).toEqual([FINAL_TEXT.tool]);
    // The same prompt in a writable sandbox creates the file: the sandbox flag is what kept it out.
    const writable = config('writable', 'plan', { sandbox: 'workspace-write' });
    await turn(createCodexRunner(writable), 'Check the shell works.');
    expect(existsSync(join(writable.cwd, 'corral-ok.txt'))).toBe(true);
  });

  it('runs codex in the sidecar\'s process group and ends a slow turn promptly on abort', async () => {
    const runner = createCodexRunner(config('abort', 'default'));
    const controller = new AbortController();
    const before = suite.server.requests.length;
    const running = turn(runner, '[scenario:slow:30] Take your time.', controller.signal);
    const deadline = Date.now() + 15_000;
    while (!suite.server.requests.slice(before).some((r) => r.scenario === 'slow') && Date.now() < deadline) await Bun.sleep(25);
    const ownGroup = readStat(process.pid)!.pgid;
    const codex = groupMembers(ownGroup).filter((p) => p.ppid === process.pid && readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes('codex'));
    expect(codex).toHaveLength(1);
    const abortedAt = performance.now();
    controller.abort(new Error('user stop'));
    const { events, error } = await running;
    expect(performance.now() - abortedAt).toBeLessThan(1_000);
    expect(error).toBeUndefined();
    expect(ofType(events, 'error')).toEqual([]);
    expect(readStat(codex[0]!.pid)).toBeNull();
    const next = await turn(runner, '[scenario:text] Again.');
    expect(next.error).toBeUndefined();
    expect(ofType(next.events, 'text').map((t) => t.text)).toEqual([FINAL_TEXT.text]);
  });

  it('throws a retryable ProviderError on HTTP 500 without retrying, and a fatal one for a full context window', async () => {
    const runner = createCodexRunner(config('errors', 'default'));
    const before = suite.server.requests.length;
    const failed = await turn(runner, '[scenario:http500] Anything.');
    expect(failed.error).toBeInstanceOf(ProviderError);
    expect((failed.error as ProviderError).fatal).toBeUndefined();
    expect(ofType(failed.events, 'error')).toHaveLength(1);
    expect(suite.server.requests.slice(before).filter((r) => r.path === '/v1/responses')).toHaveLength(1);

    const tooLong = await turn(runner, '[scenario:prompt-too-long] Anything.');
    expect((tooLong.error as ProviderError).fatal).toBe('prompt_too_long');
  });

  it('says so when the configured executable does not exist', async () => {
    const { error } = await turn(createCodexRunner(config('missing', 'default', { executable: join(suite.root, 'no-codex') })), 'hi');
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toContain('Codex executable not found');
  });
});

describe('Codex runner options', () => {
  it('derives sandbox and approval from the permission mode; an explicit sandbox wins', () => {
    expect(codexPolicy('plan')).toEqual({ sandbox: 'read-only', approval: 'on-request' });
    expect(codexPolicy('default')).toEqual({ sandbox: 'workspace-write', approval: 'on-request' });
    expect(codexPolicy('acceptEdits')).toEqual({ sandbox: 'workspace-write', approval: 'on-request' });
    expect(codexPolicy('bypassPermissions')).toEqual({ sandbox: 'danger-full-access', approval: 'never' });
    expect(codexPolicy('default', 'read-only').sandbox).toBe('read-only');
  });

  it('says Codex runs unattended in the sandbox it was given', () => {
    expect(codexApprovals({ permissionMode: 'default' })).toEqual({ policy: 'unattended', sandbox: 'workspace-write' });
    expect(codexApprovals({ permissionMode: 'default', sandbox: 'danger-full-access' })).toEqual({ policy: 'unattended', sandbox: 'danger-full-access' });
    expect(codexApprovals({ permissionMode: 'plan' })).toEqual({ policy: 'unattended', sandbox: 'read-only' });
  });

  it('builds exec and resume argv with the prompt on stdin', () => {
    const base: RunnerConfig = { provider: 'codex', cwd: '/p', permissionMode: 'default', env: {}, model: 'm', systemPrompt: 'Be "brief"\nplease' };
    expect(codexArgs(base, undefined)).toEqual([
      'exec', '--json', '--skip-git-repo-check', '--sandbox', 'workspace-write', '-c', 'approval_policy="on-request"',
      '-m', 'm', '-c', 'developer_instructions="Be \\"brief\\"\\nplease"', '-',
    ]);
    expect(codexArgs({ ...base, model: undefined, systemPrompt: undefined }, 'th-1').slice(-3)).toEqual(['resume', 'th-1', '-']);
  });
});
