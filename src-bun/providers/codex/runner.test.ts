// Runs the real Codex CLI (bundled @openai/codex 0.169) as `codex app-server`, offline, against the scripted model server.
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '../../../src/shared/events';
import type { PermissionMode } from '../../../src/shared/providers';
import { groupMembers, readStat } from '../../core/process-tree';
import { CODEX_TEST_MODEL, codexHomeOutsideTmp, offlineCodexEnv, writeOfflineCodexConfig } from '../../../test/agent-env';
import { EDIT_FILE, FINAL_TEXT, OK_COMMAND, WRITE_FILE } from '../../../test/model-server/main';
import { collectTurn, ofType, runnerSuite } from '../../../test/runner-suite';
import { ProviderError, type ProviderRunner, type RunnerConfig } from '../types';
import { createCodexRunner, threadParams } from './runner';

const suite = runnerSuite({ tempPrefix: 'corral-codex-runner-' });

/** A config for a fresh project folder and HOME under the test's temp root, and a CODEX_HOME outside /tmp (see codexHomeOutsideTmp). */
function config(name: string, permissionMode: PermissionMode, extra: Partial<RunnerConfig> = {}): RunnerConfig {
  const { home, cwd } = suite.folders(name);
  const codexHome = codexHomeOutsideTmp(`runner-${name}`);
  writeOfflineCodexConfig(codexHome, suite.server.url);
  return { provider: 'codex', cwd, permissionMode, model: CODEX_TEST_MODEL, env: offlineCodexEnv(home, codexHome), ...extra };
}

/** Runs one turn, answering every permission card with `optionId` (none: cards stay open). */
function turn(runner: ProviderRunner, prompt: string, optionId?: string, signal?: AbortSignal) {
  return collectTurn(runner, prompt, signal, (events) => (event) => {
    events.push(event);
    if (optionId && event.type === 'permission_request' && !event.answered) queueMicrotask(() => runner.answerPermission?.(event.id, optionId));
  });
}

/** The `codex app-server` processes this test process started and has not ended (they stay in its process group). */
function appServers(): number[] {
  const group = readStat(process.pid)!.pgid;
  return groupMembers(group).filter((p) => p.ppid === process.pid && readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes('app-server')).map((p) => p.pid);
}

const cards = (events: AgentEvent[]) => ofType(events, 'permission_request');
const okFile = (cfg: RunnerConfig) => join(cfg.cwd, 'corral-ok.txt');

describe('Codex runner over the real app-server: approvals', () => {
  it('default: asks before a command, Allow once runs it; the next turn continues the thread in the same app-server', async () => {
    const others = appServers();
    const cfg = config('allow', 'default');
    const runner = suite.track(createCodexRunner(cfg));
    const first = await turn(runner, 'Check the shell works.', 'allow_once');
    expect(first.error).toBeUndefined();
    const [init] = ofType(first.events, 'init');
    expect(init).toMatchObject({ model: CODEX_TEST_MODEL, cwd: cfg.cwd, version: '0.169.0', approvals: { policy: 'ask', sandbox: 'workspace-write' } });
    const [asked, answered] = cards(first.events);
    expect(asked).toMatchObject({ title: `Run a command: ${OK_COMMAND}`, command: OK_COMMAND, tool: 'shell' });
    expect(asked!.options.map((o) => o.name)).toEqual(['Allow once', 'Allow for this session', 'Deny']);
    expect(answered).toEqual({ ...asked!, answered: { optionId: 'allow_once' } });
    const [call] = ofType(first.events, 'tool_call');
    expect(ofType(first.events, 'tool_result')).toEqual([{ type: 'tool_result', id: call!.id, output: 'corral-ok', isError: false }]);
    expect(readFileSync(okFile(cfg), 'utf8')).toBe('corral-ok\n');
    expect(ofType(first.events, 'cost')[0]!.costUsd).toBeNull();
    const server = appServers().filter((pid) => !others.includes(pid));
    expect(server).toHaveLength(1);

    const before = suite.server.requests.length;
    const second = await turn(runner, '[scenario:text] What did you do?');
    expect(second.error).toBeUndefined();
    expect(ofType(second.events, 'init')[0]!.providerSessionId).toBe(init!.providerSessionId);
    expect(suite.server.requests.slice(before)[0]!.historyTurns).toBeGreaterThan(0);
    expect(ofType(second.events, 'cost')[0]!.inputTokens).toBeGreaterThan(ofType(first.events, 'cost')[0]!.inputTokens);
    expect(appServers().filter((pid) => !others.includes(pid))).toEqual(server);
    await runner.close();
    const ids = (events: AgentEvent[]) => events.flatMap((e) => ('id' in e ? [e.id] : []));
    expect(ids(second.events).filter((id) => ids(first.events).includes(id))).toEqual([]);
  });

  it('default: Deny leaves the file unwritten, and the model is told the command did not run', async () => {
    const cfg = config('deny', 'default');
    const { events, error } = await turn(suite.track(createCodexRunner(cfg)), 'Check the shell works.', 'deny');
    expect(error).toBeUndefined();
    expect(cards(events).map((c) => c.answered?.optionId)).toEqual([undefined, 'deny']);
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ isError: true, output: 'Declined: the command did not run.' });
    expect(existsSync(okFile(cfg))).toBe(false);
  });

  it('default: asks before a file change and shows the new text; Allow for this session lets later commands run unasked', async () => {
    const cfg = config('session', 'default');
    const runner = suite.track(createCodexRunner(cfg));
    const write = await turn(runner, '[scenario:write] Create a file.', 'allow_once');
    const path = join(cfg.cwd, WRITE_FILE.name);
    expect(cards(write.events)[0]).toMatchObject({ title: `Create ${path}`, path, diff: { path, oldText: null, newText: WRITE_FILE.content } });
    expect(readFileSync(path, 'utf8')).toBe(WRITE_FILE.content);

    const first = await turn(runner, 'Check the shell works.', 'allow_session');
    expect(cards(first.events).map((c) => c.answered?.optionId)).toEqual([undefined, 'allow_session']);
    const again = await turn(runner, 'Check the shell works again.');
    expect(again.error).toBeUndefined();
    expect(cards(again.events)).toEqual([]);
    expect(ofType(again.events, 'tool_result')[0]).toMatchObject({ output: 'corral-ok', isError: false });
  });

  it('acceptEdits: file changes run without a card and carry their edits, a command still asks', async () => {
    const cfg = config('accept-edits', 'acceptEdits');
    const runner = suite.track(createCodexRunner(cfg));
    const write = await turn(runner, '[scenario:write] Create a file.');
    expect(write.error).toBeUndefined();
    expect(cards(write.events)).toEqual([]);
    const written = join(cfg.cwd, WRITE_FILE.name);
    expect(readFileSync(written, 'utf8')).toBe(WRITE_FILE.content);
    expect(ofType(write.events, 'tool_call')[0]!.edits).toEqual([{ path: written, oldText: null, newText: WRITE_FILE.content, oldStart: 1, newStart: 1 }]);
    const edited = join(cfg.cwd, EDIT_FILE.name);
    writeFileSync(edited, EDIT_FILE.before);
    const edit = await turn(runner, '[scenario:edit] Change a line.');
    expect(edit.error).toBeUndefined();
    expect(cards(edit.events)).toEqual([]);
    expect(readFileSync(edited, 'utf8')).toBe(EDIT_FILE.after);
    expect(ofType(edit.events, 'tool_call')[0]!.edits).toEqual([
      { path: edited, oldText: 'charlie\ndelta\necho\n', newText: 'charlie\nDELTA\ndelta two\necho\n', oldStart: 3, newStart: 3 },
    ]);
    const command = await turn(runner, 'Check the shell works.', 'deny');
    expect(cards(command.events)[0]).toMatchObject({ command: OK_COMMAND });
    expect(existsSync(okFile(cfg))).toBe(false);
  });

  it('plan: declines commands and edits without a card, even in a writable sandbox', async () => {
    for (const [name, sandbox] of [['plan', undefined], ['plan-writable', 'workspace-write']] as const) {
      const cfg = config(name, 'plan', sandbox ? { sandbox } : {});
      const runner = suite.track(createCodexRunner(cfg));
      const command = await turn(runner, 'Check the shell works.');
      expect(command.error).toBeUndefined();
      expect(ofType(command.events, 'init')[0]!.approvals).toEqual({ policy: 'ask', sandbox: sandbox ?? 'read-only' });
      expect(cards(command.events)).toEqual([]);
      expect(ofType(command.events, 'tool_result')[0]).toMatchObject({ isError: true });
      const write = await turn(runner, '[scenario:write] Create a file.');
      expect(cards(write.events)).toEqual([]);
      expect(existsSync(okFile(cfg))).toBe(false);
      expect(existsSync(join(cfg.cwd, WRITE_FILE.name))).toBe(false);
    }
  });

  it('bypassPermissions: runs the command without asking, and says so', async () => {
    const cfg = config('bypass', 'bypassPermissions');
    const { events, error } = await turn(suite.track(createCodexRunner(cfg)), 'Check the shell works.');
    expect(error).toBeUndefined();
    expect(ofType(events, 'init')[0]!.approvals).toEqual({ policy: 'bypass', sandbox: 'danger-full-access' });
    expect(cards(events)).toEqual([]);
    expect(readFileSync(okFile(cfg), 'utf8')).toBe('corral-ok\n');
  });
});

describe('Codex runner over the real app-server: threads, stop and failures', () => {
  it('resumes a thread given by config.resumeId in a new app-server (a relaunch)', async () => {
    const cfg = config('resume-id', 'bypassPermissions');
    const firstRunner = createCodexRunner(cfg);
    const first = await turn(firstRunner, '[scenario:text] Hello.');
    // A relaunch: the first sidecar and its app-server are gone (while one runs, Codex refuses a second writer).
    await firstRunner.close();
    const threadId = ofType(first.events, 'init')[0]!.providerSessionId;
    const before = suite.server.requests.length;
    const resumed = await turn(suite.track(createCodexRunner({ ...cfg, resumeId: threadId })), '[scenario:text] Again.');
    expect(resumed.error).toBeUndefined();
    expect(ofType(resumed.events, 'init')[0]!.providerSessionId).toBe(threadId);
    expect(suite.server.requests.slice(before)[0]!.historyTurns).toBeGreaterThan(0);
  });

  it('starts a new thread, and says so, when the thread to resume is gone', async () => {
    const cfg = config('resume-gone', 'bypassPermissions', { resumeId: '01a23780-1ce2-7512-a83f-1b7481346ccf' });
    const { events, error } = await turn(suite.track(createCodexRunner(cfg)), '[scenario:text] Hello.');
    expect(error).toBeUndefined();
    expect(ofType(events, 'text')[0]!.text).toContain('Could not resume Codex thread 01a23780-1ce2-7512-a83f-1b7481346ccf');
    expect(ofType(events, 'init')[0]!.providerSessionId).not.toBe(cfg.resumeId);
  });

  it('stops a slow turn promptly with turn/interrupt, keeping the app-server for the next turn', async () => {
    const others = appServers();
    const runner = suite.track(createCodexRunner(config('abort', 'default')));
    const controller = new AbortController();
    const before = suite.server.requests.length;
    const running = turn(runner, '[scenario:slow:30] Take your time.', undefined, controller.signal);
    while (!suite.server.requests.slice(before).some((r) => r.scenario === 'slow')) await Bun.sleep(25);
    const servers = appServers().filter((pid) => !others.includes(pid));
    expect(servers).toHaveLength(1);
    controller.abort(new Error('user stop'));
    const { events, error } = await running;
    // Interrupted, not killed: the same app-server (checked below) answers the next turn.
    expect(error).toBeUndefined();
    expect(ofType(events, 'error')).toEqual([]);
    const next = await turn(runner, '[scenario:text] Again.');
    expect(next.error).toBeUndefined();
    expect(ofType(next.events, 'text').at(-1)!.text).toBe(FINAL_TEXT.text);
    expect(appServers()).toContain(servers[0]!);
    await runner.close();
    expect(appServers()).not.toContain(servers[0]!);
  });

  it('a stop while a card is open cancels the request: the command never runs', async () => {
    const cfg = config('abort-card', 'default');
    const runner = suite.track(createCodexRunner(cfg));
    const controller = new AbortController();
    const { events, error } = await collectTurn(runner, 'Check the shell works.', controller.signal, (sink) => (event) => {
      sink.push(event);
      if (event.type === 'permission_request') queueMicrotask(() => controller.abort(new Error('user stop')));
    });
    expect(error).toBeUndefined();
    expect(cards(events)).toHaveLength(1);
    expect(runner.answerPermission?.(cards(events)[0]!.id, 'allow_once')).toBe(false);
    expect(existsSync(okFile(cfg))).toBe(false);
  });

  it('a crashed app-server fails the turn with its exit; the next turn starts another and resumes the thread', async () => {
    const others = appServers();
    const runner = suite.track(createCodexRunner(config('crash', 'bypassPermissions')));
    const first = await turn(runner, '[scenario:text] Hello.');
    const threadId = ofType(first.events, 'init')[0]!.providerSessionId;
    const before = suite.server.requests.length;
    const running = turn(runner, '[scenario:slow:30] Take your time.');
    while (!suite.server.requests.slice(before).some((r) => r.scenario === 'slow')) await Bun.sleep(25);
    const [pid] = appServers().filter((p) => !others.includes(p));
    process.kill(pid!, 'SIGKILL');
    const crashed = await running;
    expect(crashed.error).toBeInstanceOf(ProviderError);
    expect((crashed.error as Error).message).toContain('Codex app-server exited');
    const next = await turn(runner, '[scenario:text] Still there?');
    expect(next.error).toBeUndefined();
    expect(ofType(next.events, 'init')[0]!.providerSessionId).toBe(threadId);
    expect(appServers()).not.toContain(pid);
  });

  it('throws a retryable ProviderError on HTTP 500 without retrying, and a fatal one for a full context window', async () => {
    const runner = suite.track(createCodexRunner(config('errors', 'default')));
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

describe('Codex thread parameters', () => {
  it('carry the approval policy and sandbox of the mode, the model and the developer instructions', () => {
    const base: RunnerConfig = { provider: 'codex', cwd: '/p', permissionMode: 'default', env: {}, model: 'm', systemPrompt: 'Be brief' };
    expect(threadParams(base)).toEqual({ cwd: '/p', approvalPolicy: 'untrusted', sandbox: 'workspace-write', model: 'm', developerInstructions: 'Be brief' });
    expect(threadParams({ ...base, permissionMode: 'bypassPermissions', model: undefined, systemPrompt: undefined }))
      .toEqual({ cwd: '/p', approvalPolicy: 'never', sandbox: 'danger-full-access' });
  });
});
