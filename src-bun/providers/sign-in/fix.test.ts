import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AgentEvent } from '../../../src/shared/events';
import { fatalErrorFix } from '../../../src/shared/sign-in';
import { createClaudeAdapter } from '../claude/adapter';
import { bundledClaudeExecutable } from '../claude/executable';
import { createCodexAppServerAdapter } from '../codex/app-server-adapter';
import { bundledCodexBinary } from '../codex/binary';
import { claudeSignIn } from './claude';
import { codexSignIn } from './codex';

const FIXTURES = resolve(import.meta.dir, '../../../test/fixtures');
const CLAUDE = bundledClaudeExecutable()!;
const CODEX = bundledCodexBinary()!;
const env = { PATH: '/usr/bin:/bin', HOME: '/nonexistent-home', CODEX_HOME: '/nonexistent-home/.codex' };

/** The error events a recorded fixture adapts to (Claude Code stream-json; Codex app-server JSON-RPC lines `{dir, msg}`). */
function errorsOf(provider: 'claude' | 'codex', name: string): Extract<AgentEvent, { type: 'error' }>[] {
  const dir = provider === 'claude' ? 'claude' : 'codex-app-server';
  const lines = readFileSync(resolve(FIXTURES, dir, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  let events: AgentEvent[];
  if (provider === 'claude') {
    const adapter = createClaudeAdapter();
    events = lines.flatMap((l) => adapter.adapt(l));
  } else {
    const adapter = createCodexAppServerAdapter();
    adapter.startTurn('t1');
    events = lines
      .filter((l: { dir: string; msg: { id?: unknown; method?: unknown } }) => l.dir === 'in' && typeof l.msg.method === 'string' && l.msg.id === undefined)
      .flatMap((l: { msg: { method: string; params: unknown } }) => adapter.notification(l.msg.method, l.msg.params));
  }
  return events.filter((e): e is Extract<AgentEvent, { type: 'error' }> => e.type === 'error');
}

describe('the fix an auth error shows', () => {
  const claude = claudeSignIn(env, CLAUDE, { loggedIn: false, authMethod: 'none', apiKeySource: null, subscriptionType: null, configDirectory: null });
  const codex = codexSignIn(env, CODEX, { loggedIn: false });

  it('Claude Code with no key at all ("Not logged in · Please run /login"): the bundled CLI\'s login command, or the variable', () => {
    const [error] = errorsOf('claude', 'not-logged-in');
    expect(error).toEqual({ type: 'error', message: 'Not logged in · Please run /login', fatal: 'auth' });
    expect(fatalErrorFix(error!.fatal, 'claude', claude)).toBe(
      `Claude Code could not sign in. Run \`${CLAUDE} auth login\` in a terminal (or start \`${CLAUDE}\` and type /login), or set ANTHROPIC_API_KEY in the environment Corral starts from.`,
    );
  });

  it('Claude Code with a refused key (HTTP 401) gets the same fix', () => {
    const [error] = errorsOf('claude', 'auth');
    expect(error?.fatal).toBe('auth');
    expect(fatalErrorFix(error!.fatal, 'claude', claude)).toContain(`\`${CLAUDE} auth login\``);
  });

  it('Codex (HTTP 401): its login command with the bundled binary\'s path, or CODEX_API_KEY', () => {
    const [error] = errorsOf('codex', 'auth');
    expect(error?.fatal).toBe('auth');
    const fix = fatalErrorFix(error!.fatal, 'codex', codex)!;
    expect(fix).toStartWith(`Codex could not sign in. Run \`${CODEX} login\` in a terminal`);
    expect(fix).toContain('CODEX_API_KEY');
  });

  it('says something useful before providers.list answered, and nothing for other errors', () => {
    expect(fatalErrorFix('auth', 'codex', undefined)).toBe('Codex could not sign in. Check its login or API key, or pick another provider.');
    for (const [provider, name] of [['claude', 'quota'], ['claude', 'http500'], ['codex', 'quota'], ['codex', 'http500']] as const) {
      const [error] = errorsOf(provider, name);
      expect(error).toBeDefined();
      expect(fatalErrorFix(error!.fatal, provider, provider === 'claude' ? claude : codex)).toBeNull();
    }
  });
});
