// Drives real ACP agents (claude-agent-acp 0.49, Gemini CLI 0.61 --acp) offline against the scripted model server.
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AgentEvent } from '../../../src/shared/events';
import type { PermissionMode } from '../../../src/shared/providers';
import { groupMembers, readStat } from '../../core/process-tree';
import { ACP_AGENTS, answeringWith, type AcpAgentName } from '../../../test/fixtures/record-acp';
import { FINAL_TEXT, OK_COMMAND, WRITE_FILE } from '../../../test/model-server/main';
import { collectTurn, ofType, runnerSuite } from '../../../test/runner-suite';
import { ProviderError, type ProviderRunner, type RunnerConfig } from '../types';
import { splitCommandLine } from './command-line';
import { createAcpRunner, type AcpRunnerOptions } from './runner';

const MINIMAL_AGENT = `${process.execPath} ${resolve(import.meta.dir, '../../../test/fixtures/acp-minimal-agent.ts')}`;
const suite = runnerSuite({ tempPrefix: 'corral-acp-runner-', server: { slowDeltaMs: 100 } });

/** A runner for `agent` in a fresh project and HOME (or `home` to share one, for resume). */
function runner(agent: AcpAgentName | 'minimal', name: string, mode: PermissionMode = 'default', extra: Partial<RunnerConfig> = {}, options: AcpRunnerOptions = {}) {
  const folders = suite.folders(extra.cwd ? name.split('/')[0]! : name);
  const home = folders.home;
  const cwd = extra.cwd ?? folders.cwd;
  const env = agent === 'minimal' ? { PATH: process.env.PATH ?? '/usr/bin', HOME: home } : ACP_AGENTS[agent].env(home, suite.server.url);
  const command = agent === 'minimal' ? MINIMAL_AGENT : ACP_AGENTS[agent].command;
  const config: RunnerConfig = { provider: 'acp', cwd, permissionMode: mode, env, command, ...extra };
  const r = suite.track(createAcpRunner(config, options));
  return { runner: r, config };
}

/** Runs a turn, answering permission requests with the first option of `answer` kind (or not at all when null). */
function turn(r: ProviderRunner, prompt: string, answer: string | null = 'allow_once', signal = new AbortController().signal) {
  return collectTurn(r, prompt, signal, (events) => answer ? answeringWith(() => r, answer, events) : (e: AgentEvent) => events.push(e));
}

const textOf = (events: AgentEvent[]) => ofType(events, 'text').map((t) => t.text).join('');

describe('ACP runner with claude-agent-acp', () => {
  it('asks permission, runs the approved command in the sidecar\'s process group, and continues the session', async () => {
    const { runner: r, config } = runner('claude', 'tool');
    // Machines that say IS_SANDBOX=yes (CI here does) break claude-agent-acp unless the runner turns it into 1.
    config.env.IS_SANDBOX = 'yes';
    const first = await turn(r, 'Check the shell works.');
    expect(first.error).toBeUndefined();
    const [init] = ofType(first.events, 'init');
    expect(init).toMatchObject({ cwd: config.cwd, version: '0.49.0' });
    const [request] = ofType(first.events, 'permission_request');
    expect(request).toMatchObject({ title: OK_COMMAND, options: [{ kind: 'allow_always' }, { kind: 'allow_once' }, { kind: 'reject_once' }] });
    const allowOnce = request!.options.find((o) => o.kind === 'allow_once')!.optionId;
    // Once answered, the card is re-sent with the answer (same id), so a reload shows it.
    expect(ofType(first.events, 'permission_request').map((e) => e.answered)).toEqual([undefined, { optionId: allowOnce }]);
    expect(ofType(first.events, 'tool_result')).toEqual([{ type: 'tool_result', id: ofType(first.events, 'tool_call')[0]!.id, output: 'corral-ok', isError: false }]);
    expect(readFileSync(join(config.cwd, 'corral-ok.txt'), 'utf8')).toBe('corral-ok\n');
    expect(textOf(first.events)).toBe(FINAL_TEXT.tool);
    const agents = groupMembers(readStat(process.pid)!.pgid).filter((p) => p.ppid === process.pid && readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes('claude-agent-acp'));
    expect(agents).toHaveLength(1);

    const before = suite.server.requests.length;
    const second = await turn(r, '[scenario:text] What did you do?');
    expect(second.error).toBeUndefined();
    expect(ofType(second.events, 'init')).toEqual([]);
    expect(textOf(second.events)).toBe(FINAL_TEXT.text);
    expect(suite.server.requests.slice(before).find((q) => q.scenario === 'text')!.historyTurns).toBeGreaterThan(0);
    expect(ofType(second.events, 'cost').at(-1)!.costUsd!).toBeGreaterThan(ofType(first.events, 'cost').at(-1)!.costUsd!);
  });

  it('does not write the file when the user rejects, and resumes the session in a new agent process', async () => {
    const { runner: r, config } = runner('claude', 'reject');
    const rejected = await turn(r, '[scenario:write] Create a file.', 'reject_once');
    expect(rejected.error).toBeUndefined();
    expect(ofType(rejected.events, 'permission_request')[0]!.diff).toEqual({ path: join(config.cwd, WRITE_FILE.name), oldText: null, newText: WRITE_FILE.content, oldStart: 1, newStart: 1 });
    expect(ofType(rejected.events, 'tool_result')[0]!.isError).toBe(true);
    expect(existsSync(join(config.cwd, WRITE_FILE.name))).toBe(false);
    const sessionId = ofType(rejected.events, 'init')[0]!.providerSessionId;
    await r.close();

    const resumed = runner('claude', 'reject/again', 'default', { cwd: config.cwd, resumeId: sessionId, env: config.env });
    const before = suite.server.requests.length;
    const after = await turn(resumed.runner, '[scenario:text] Still there?');
    expect(after.error).toBeUndefined();
    expect(ofType(after.events, 'init')[0]!.providerSessionId).toBe(sessionId);
    expect(suite.server.requests.slice(before).find((q) => q.scenario === 'text')!.historyTurns).toBeGreaterThan(0);
    expect(textOf(after.events)).toBe(FINAL_TEXT.text);
  });

  it('cancels a pending permission request on stop, and the next turn still works', async () => {
    // No kill fallback within the test's time: only a working session/cancel can end this turn (a broken one hangs it).
    const { runner: r, config } = runner('claude', 'stop-permission', 'default', {}, { cancelGraceMs: 600_000 });
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    await r.runTurn({ prompt: '[scenario:write] Create a file.', signal: controller.signal }, (e) => {
      events.push(e);
      if (e.type === 'permission_request') queueMicrotask(() => controller.abort(new Error('stop')));
    });
    expect(ofType(events, 'permission_request')).toHaveLength(1);
    expect(r.answerPermission!(ofType(events, 'permission_request')[0]!.id, 'allow')).toBe(false);
    expect(existsSync(join(config.cwd, WRITE_FILE.name))).toBe(false);
    const before = suite.server.requests.length;
    const next = await turn(r, '[scenario:text] Hello.');
    expect(next.error).toBeUndefined();
    // Claude Code sends the new prompt with the interrupted call's result, so the scripted model answers that call.
    expect(suite.server.requests.slice(before).filter((q) => q.path === '/v1/messages')).toHaveLength(1);
    expect(textOf(next.events)).toBe(FINAL_TEXT.write);
  });

  it('ends a streaming turn on stop through session/cancel', async () => {
    // No kill fallback: the turn can only end early through session/cancel; left alone, the stream runs 20 s to "tick 100".
    const { runner: r } = runner('claude', 'stop-stream', 'default', {}, { cancelGraceMs: 600_000 });
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    let stopped = false;
    await r.runTurn({ prompt: '[scenario:slow:20] Go slowly.', signal: controller.signal }, (e) => {
      events.push(e);
      if (e.type === 'text' && e.text.startsWith('tick 2') && !stopped) {
        stopped = true;
        controller.abort(new Error('stop'));
      }
    });
    const text = textOf(events);
    expect(text).toStartWith('tick 1 tick 2 ');
    const ticks = [...text.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
    expect(Math.max(...ticks)).toBeLessThan(100);
  });

  it('reports a model error as a ProviderError, fatal when the prompt is too long', async () => {
    const { runner: r } = runner('claude', 'errors');
    const failed = await turn(r, '[scenario:http500] Anything.');
    expect(failed.error).toBeInstanceOf(ProviderError);
    expect((failed.error as ProviderError).fatal).toBeUndefined();
    const tooLong = await turn(r, '[scenario:prompt-too-long] Anything.');
    expect((tooLong.error as ProviderError).fatal).toBe('prompt_too_long');
  });
});

describe('ACP runner with Gemini CLI', () => {
  it('asks before a shell command in default mode, and edits without asking in acceptEdits (autoEdit)', async () => {
    const asked = await turn(runner('gemini', 'gemini-tool').runner, 'Check the shell works.');
    expect(asked.error).toBeUndefined();
    expect(ofType(asked.events, 'permission_request')[0]!.options.map((o) => o.optionId)).toEqual(['proceed_always', 'proceed_once', 'cancel']);
    expect(textOf(asked.events)).toBe(FINAL_TEXT.tool);

    const { runner: r, config } = runner('gemini', 'gemini-edit', 'acceptEdits');
    const edited = await turn(r, '[scenario:write] Create a file.', null);
    expect(edited.error).toBeUndefined();
    expect(ofType(edited.events, 'permission_request')).toEqual([]);
    // Gemini CLI's `[MODE_UPDATE] autoEdit` chunk is setup noise, not part of the reply.
    expect(textOf(edited.events)).toBe(FINAL_TEXT.write);
    expect(readFileSync(join(config.cwd, WRITE_FILE.name), 'utf8')).toBe(WRITE_FILE.content);
  });
});

describe('ACP runner with a minimal agent and bad commands', () => {
  it('says so and starts a new session when the agent cannot resume', async () => {
    const { runner: r } = runner('minimal', 'minimal', 'default', { resumeId: 'lost-session' });
    const { events, error } = await turn(r, 'Hello.');
    expect(error).toBeUndefined();
    expect(ofType(events, 'text')[0]!.text).toStartWith('minimal-agent cannot resume sessions');
    const [init] = ofType(events, 'init');
    expect(init!.providerSessionId).toMatch(/^minimal-1-/);
    expect(ofType(events, 'text').at(-1)!.text).toBe(`echo from ${init!.providerSessionId}`);
  });

  it('reports an agent that dies mid-turn, then starts a new agent process for the next turn', async () => {
    const { runner: r } = runner('minimal', 'minimal-crash');
    const crashed = await turn(r, 'Please [crash] now.');
    expect(crashed.error).toBeInstanceOf(ProviderError);
    expect((crashed.error as Error).message).toStartWith('the ACP agent exited (3)');
    const next = await turn(r, 'Hello.');
    expect(next.error).toBeUndefined();
    // The new process cannot resume the first one's session, and says so.
    expect(ofType(next.events, 'text')[0]!.text).toContain('cannot resume sessions');
  });

  it('refuses a missing, unknown or silent agent command with a clear error', async () => {
    expect(((await turn(runner('minimal', 'none', 'default', { command: undefined }).runner, 'x')).error as Error).message).toContain('No ACP agent command is set');
    expect(((await turn(runner('minimal', 'unknown', 'default', { command: 'no-such-agent --acp' }).runner, 'x')).error as Error).message).toContain('`no-such-agent` not found');
    const silent = await turn(runner('minimal', 'silent', 'default', { command: 'sleep 30' }, { startupTimeoutMs: 300 }).runner, 'x');
    expect((silent.error as Error).message).toContain('did not answer initialize within 300 ms');
  });

  it('splits command lines like a shell, without running one', () => {
    expect(splitCommandLine('gemini --acp')).toEqual(['gemini', '--acp']);
    expect(splitCommandLine(`agent --model "gemini 3" --x 'a b' c\\ d`)).toEqual(['agent', '--model', 'gemini 3', '--x', 'a b', 'c d']);
    expect(splitCommandLine(`a "" b`)).toEqual(['a', '', 'b']);
    expect(() => splitCommandLine('a "b')).toThrow('unterminated');
  });
});
