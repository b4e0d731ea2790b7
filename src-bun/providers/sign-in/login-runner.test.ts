import { afterAll, describe, expect, it } from 'bun:test';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../../../src/shared/clock';
import type { LoginUpdate } from '../../../src/shared/rpc/providers-login';
import { codexHomeOutsideTmp } from '../../../test/agent-env';
import { groupMembers } from '../../core/process-tree';
import { bundledClaudeExecutable } from '../claude/executable';
import { bundledCodexBinary } from '../codex/binary';
import { LOGIN_CANCEL_GRACE_MS, createLoginRunner, type LoginExecutables } from './login-runner';
import { deviceCode, maskSecrets, outputLines, signInUrl } from './login-output';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'corral-login-'));
  roots.push(dir);
  return dir;
}

/** A runner over `executables`, recording every update it publishes. */
function runner(executables: LoginExecutables, env: Record<string, string>) {
  const updates: LoginUpdate[] = [];
  const clock = createFakeClock();
  const logins = createLoginRunner({ publish: (u) => updates.push(u), env, executables: () => executables, clock });
  return { logins, updates, clock, last: () => updates.at(-1)! };
}

/** Resolves once an update satisfies `ok` (updates arrive as the CLI prints). */
async function until(updates: LoginUpdate[], ok: (u: LoginUpdate) => boolean, what: string): Promise<LoginUpdate> {
  for (let i = 0; i < 400; i++) {
    const hit = updates.find(ok);
    if (hit) return hit;
    await Bun.sleep(50);
  }
  throw new Error(`no update with ${what}; last: ${JSON.stringify(updates.at(-1))}`);
}

/** An environment that opens no browser and has no display. */
function quietEnv(home: string): Record<string, string> {
  return { PATH: '/usr/bin:/bin', HOME: home, BROWSER: '/bin/true', DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1' };
}

describe('login flows against the real CLIs (offline: they start, print where to sign in, and are cancelled)', () => {
  it('codex login prints its sign-in URL; cancel kills its group and says so', async () => {
    const codexHome = codexHomeOutsideTmp('login');
    roots.push(codexHome);
    const { logins, updates } = runner({ claude: null, codex: bundledCodexBinary() }, { ...quietEnv(scratch()), CODEX_HOME: codexHome });
    const started = logins.start('codex');
    if (!started.ok) throw new Error(started.error);
    expect(started.login).toMatchObject({ provider: 'codex', flow: 'codex', state: 'running' });
    expect(logins.start('claude')).toEqual({ ok: false, error: 'A login is already running; cancel it first' });
    const shown = await until(updates, (u) => u.url !== null, 'a URL');
    expect(shown.url).toStartWith('https://auth.openai.com/oauth/authorize?');
    expect(shown.output.some((l) => l.includes('Starting local login server'))).toBe(true);
    expect(logins.current()?.state).toBe('running');
    expect(await logins.cancel(started.login.loginId)).toBe(true);
    expect(updates.at(-1)).toMatchObject({ state: 'cancelled', message: null });
    expect(logins.current()).toBeNull();
    expect(await logins.cancel(started.login.loginId)).toBe(false);
  }, 60_000);

  it('claude auth login prints its URL and asks for the code; the input reaches it; cancel leaves no process', async () => {
    const home = scratch();
    const { logins, updates } = runner({ claude: bundledClaudeExecutable(), codex: null }, { ...quietEnv(home), CLAUDE_CONFIG_DIR: join(home, '.claude') });
    const started = logins.start('claude');
    if (!started.ok) throw new Error(started.error);
    const prompt = await until(updates, (u) => u.output.some((l) => l.startsWith('Paste code here')), 'the code prompt');
    expect(prompt.url).toStartWith('https://claude.ai/oauth/authorize');
    expect(logins.input('login-other', 'x')).toBe(false);
    expect(logins.input(started.login.loginId, 'not-a-real-code')).toBe(true);
    expect(await logins.cancel(started.login.loginId)).toBe(true);
    expect(updates.at(-1)?.state).toBe('cancelled');
  }, 60_000);
});

describe('the login runner', () => {
  it('kills the whole group on cancel, also a child that ignores SIGTERM, after the grace on the injected clock', async () => {
    const dir = scratch();
    const cli = join(dir, 'stubborn-login');
    const pidFile = join(dir, 'pids');
    // A login CLI that leaves a helper in its group and ignores SIGTERM itself.
    writeFileSync(cli, `#!/bin/sh\ntrap '' TERM\nsleep 300 &\necho $$ $! > ${pidFile}\necho "visit https://login.example/device"\necho "and enter this one-time code: WXYZ-1234"\nwait\n`);
    chmodSync(cli, 0o755);
    const { logins, updates, clock } = runner({ claude: cli, codex: null }, { PATH: '/usr/bin:/bin' });
    const started = logins.start('claude');
    if (!started.ok) throw new Error(started.error);
    const shown = await until(updates, (u) => u.code !== null, 'the device code');
    expect(shown).toMatchObject({ url: 'https://login.example/device', code: 'WXYZ-1234', state: 'running' });
    const [leader] = (await Bun.file(pidFile).text()).trim().split(' ').map(Number);
    expect(groupMembers(leader!).length).toBe(2);
    const cancelled = logins.cancel(started.login.loginId);
    await Bun.sleep(200);
    // SIGTERM was ignored: the group lives until the grace runs out.
    expect(groupMembers(leader!).length).toBeGreaterThan(0);
    clock.advance(LOGIN_CANCEL_GRACE_MS);
    expect(await cancelled).toBe(true);
    expect(groupMembers(leader!)).toEqual([]);
    expect(updates.at(-1)?.state).toBe('cancelled');
  }, 30_000);

  it('reports success, failure, and a CLI that is not there', async () => {
    const dir = scratch();
    const ok = join(dir, 'ok-login');
    writeFileSync(ok, '#!/bin/sh\nread code\necho "Logged in with $code"\n');
    chmodSync(ok, 0o755);
    const fine = runner({ claude: ok, codex: join(dir, 'missing') }, { PATH: '/usr/bin:/bin' });
    const started = fine.logins.start('claude');
    if (!started.ok) throw new Error(started.error);
    fine.logins.input(started.login.loginId, 'abc\n');
    const done = await until(fine.updates, (u) => u.state !== 'running', 'the end');
    expect(done).toMatchObject({ state: 'succeeded', output: ['Logged in with abc'], message: null });
    const failed = fine.logins.start('codex');
    expect(failed.ok).toBe(false);
    expect(runner({ claude: null, codex: null }, {}).logins.start('codex-device')).toEqual({ ok: false, error: 'The Codex CLI was not found' });
    const bad = join(dir, 'bad-login');
    writeFileSync(bad, '#!/bin/sh\necho "no network" >&2\nexit 3\n');
    chmodSync(bad, 0o755);
    const failing = runner({ claude: null, codex: bad }, { PATH: '/usr/bin:/bin' });
    expect(failing.logins.start('codex-device').ok).toBe(true);
    expect(await until(failing.updates, (u) => u.state !== 'running', 'the end')).toMatchObject({ state: 'failed', output: ['no network'], message: 'exited with code 3' });
  }, 30_000);
});

describe('login output', () => {
  it('strips ANSI, masks anything shaped like a key or token, and finds the URL and code', () => {
    const lines = outputLines('\x1b[1mSign in\x1b[0m\r\nkey sk-proj-abcdefghijkl and token eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig\n\nhttps://a.example/x?y=1\nPaste code here > ');
    expect(lines).toEqual(['Sign in', 'key [hidden] and token [hidden]', 'https://a.example/x?y=1', 'Paste code here >']);
    expect(signInUrl(['Starting local login server on http://localhost:1455.', 'https://auth.example/go'])).toBe('https://auth.example/go');
    expect(deviceCode(['Enter this one-time code: ABCD-EFGH'])).toBe('ABCD-EFGH');
    expect(deviceCode(['no code here', 'https://x.example/ABCD-EFGH'])).toBeNull();
    expect(maskSecrets('access_token: abcdefghijklmnop')).toBe('[hidden]');
  });
});
