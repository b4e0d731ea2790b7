import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../shared/records';
import type { ProviderInfo } from '../../shared/rpc/providers';
import type { LoginUpdate } from '../../shared/rpc/providers-login';
import type { SignIn } from '../../shared/sign-in';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import AgentPane from './AgentPane.svelte';
import SettingsView from './SettingsView.svelte';

const project: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };
const CLAUDE = '/opt/corral/node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude';
const CLAUDE_FIX = `Run \`${CLAUDE} auth login\` in a terminal (or start \`${CLAUDE}\` and type /login), or set ANTHROPIC_API_KEY in the environment Corral starts from.`;
const CLAUDE_SIGN_IN: SignIn = {
  state: 'not_set', source: null, fix: CLAUDE_FIX,
  logins: [{ id: 'claude', label: 'Log in with Claude', command: `${CLAUDE} auth login`, acceptsCode: true }],
};

const LIST: ProviderInfo[] = [
  { id: 'claude', label: 'Claude Code', available: true, version: 'Agent SDK 0.3.330', reason: null, models: [], signIn: CLAUDE_SIGN_IN },
  { id: 'codex', label: 'Codex', available: true, version: 'codex-cli 0.169.0', reason: null, models: [], signIn: { state: 'env', source: 'OPENAI_API_KEY', fix: 'Run `codex login` in a terminal.', logins: [] } },
  { id: 'ollama', label: 'Ollama', available: true, version: 'Ollama 0.12.0', reason: null, models: ['llama3.2:1b'], signIn: { state: 'not_needed', source: 'Ollama server at http://127.0.0.1:11434', fix: 'Start Ollama.', logins: [] } },
  { id: 'acp', label: 'ACP agent', available: true, version: 'gemini 0.61.0', reason: null, models: [], signIn: { state: 'logged_in', source: 'Google login in /home/u/.gemini', fix: 'Set GEMINI_API_KEY.', logins: [] } },
];

async function setup() {
  const t = createTestStores();
  t.rpc.handle('providers.list', () => LIST);
  await t.stores.providers.load();
  await t.stores.settings.load();
  return t;
}

/** The pane after a Claude Code turn that ended "Not logged in" (as the recorded fixture does). */
async function paneAfterAuthError() {
  const t = await setup();
  render(AgentPane, { props: { project }, context: t.context });
  flushSync();
  const q = within(screen.getByRole('region', { name: 'alpha' }));
  const picker = () => q.getByRole('combobox', { name: 'Provider' }) as HTMLSelectElement;
  await fireEvent.input(q.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'hello' } });
  await fireEvent.click(q.getByRole('button', { name: 'Send' }));
  await settle();
  const message = 'Not logged in · Please run /login';
  t.rpc.emit('agent.message', { sessionId: 's1', messages: [{ seqId: 0, ts: 2, event: { type: 'error', message, fatal: 'auth' } }] });
  t.rpc.emit('agent.status', { sessionId: 's1', projectId: 'p1', status: 'error', reason: 'provider_error', error: message });
  flushSync();
  return { ...t, q, picker };
}

const update = (patch: Partial<LoginUpdate>): LoginUpdate => ({
  loginId: 'login-1', provider: 'claude', flow: 'claude', state: 'running', output: [], url: null, code: null, message: null, ...patch,
});

describe('sign-in in the provider picker', () => {
  it('says how each provider is signed in, next to its version', async () => {
    const { picker } = await paneAfterAuthError();
    expect([...picker().options].map((o) => o.textContent!.trim())).toEqual([
      'Claude Code — Agent SDK 0.3.330 · not signed in',
      'Codex — codex-cli 0.169.0 · key from the environment',
      'Ollama — Ollama 0.12.0',
      'ACP agent — gemini 0.61.0 · logged in',
    ]);
  });
});

describe('an auth error in the pane', () => {
  it('says exactly how to fix it for that provider, with the CLI\'s path', async () => {
    const { q } = await paneAfterAuthError();
    const fix = within(q.getByRole('region', { name: 'How to fix this' }));
    expect(fix.getByText(`Claude Code could not sign in. ${CLAUDE_FIX}`)).toBeInstanceOf(HTMLElement);
    expect(fix.getByText('Or pick another provider below: the next prompt starts a new session with it.')).toBeInstanceOf(HTMLElement);
  });

  it('starts Claude\'s login, shows its link and takes the code, cancels, and checks the state again when it ends', async () => {
    const { q, rpc } = await paneAfterAuthError();
    rpc.handle('providers.loginStart', () => ({ ok: true, login: update({}) }));
    rpc.handle('providers.loginInput', () => ({ ok: true }));
    rpc.handle('providers.loginCancel', () => ({ ok: true }));
    await fireEvent.click(q.getByRole('button', { name: 'Log in with Claude' }));
    await settle();
    flushSync();
    expect(rpc.callsOf('providers.loginStart')).toEqual([{ flow: 'claude' }]);
    rpc.emit('providers.login', update({ output: ['If the browser didn\'t open, visit:', 'https://claude.ai/oauth/authorize?x=1', 'Paste code here if prompted >'], url: 'https://claude.ai/oauth/authorize?x=1' }));
    flushSync();
    const login = within(q.getByRole('region', { name: 'Login' }));
    expect(login.getByRole('status').textContent).toBe('Waiting for you to sign in…');
    expect(login.getByRole('link', { name: 'the sign-in page' }).getAttribute('href')).toBe('https://claude.ai/oauth/authorize?x=1');
    expect(q.queryByRole('button', { name: 'Log in with Claude' })).toBeNull();
    await fireEvent.input(login.getByRole('textbox', { name: 'Code from the sign-in page' }), { target: { value: ' abc#123 ' } });
    await fireEvent.click(login.getByRole('button', { name: 'Send code' }));
    await settle();
    expect(rpc.callsOf('providers.loginInput')).toEqual([{ loginId: 'login-1', text: 'abc#123' }]);
    await fireEvent.click(login.getByRole('button', { name: 'Cancel login' }));
    await settle();
    expect(rpc.callsOf('providers.loginCancel')).toEqual([{ loginId: 'login-1' }]);
    const before = rpc.callsOf('providers.list').length;
    rpc.emit('providers.login', update({ state: 'cancelled' }));
    await settle();
    flushSync();
    expect(within(q.getByRole('region', { name: 'Login' })).getByRole('status').textContent).toBe('Login cancelled.');
    expect(rpc.callsOf('providers.list').length).toBe(before + 1);
  });

  it('lets another provider be picked at once: the failed session is left, and the next prompt starts the new one', async () => {
    const { q, picker, rpc } = await paneAfterAuthError();
    expect(picker().disabled).toBe(false);
    await fireEvent.change(picker(), { target: { value: 'codex' } });
    flushSync();
    expect(picker().value).toBe('codex');
    expect(q.queryByRole('region', { name: 'How to fix this' })).toBeNull();
    expect(q.getByText('No session yet. Send a prompt to start an agent in /work/alpha.')).toBeInstanceOf(HTMLElement);
    rpc.handle('agent.start', () => ({ ok: true, sessionId: 's2' }));
    await fireEvent.input(q.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'hello again' } });
    await fireEvent.click(q.getByRole('button', { name: 'Send' }));
    await settle();
    expect(rpc.callsOf('agent.start').map((c) => [c.provider, c.prompt])).toEqual([['claude', 'hello'], ['codex', 'hello again']]);
    expect(rpc.callsOf('agent.prompt')).toEqual([]);
  });
});

describe('sign-in in Settings', () => {
  it('shows every provider\'s state and where it comes from, and how to sign in', async () => {
    const t = await setup();
    render(SettingsView, { props: { onClose: () => {} }, context: t.context });
    flushSync();
    const group = (name: string) => within(screen.getByRole('group', { name }));
    expect(group('Claude Code').getByText('Not signed in')).toBeInstanceOf(HTMLElement);
    expect(group('Claude Code').getByText(CLAUDE_FIX)).toBeInstanceOf(HTMLElement);
    expect(group('Claude Code').getByRole('button', { name: 'Log in with Claude' }).getAttribute('title')).toBe(`${CLAUDE} auth login`);
    expect(group('Codex').getByText('Sign-in: key from the environment (OPENAI_API_KEY)')).toBeInstanceOf(HTMLElement);
    expect(group('Ollama').getByText('Sign-in: no sign-in needed (Ollama server at http://127.0.0.1:11434)')).toBeInstanceOf(HTMLElement);
    expect(group('ACP agent').getByText('Sign-in: logged in (Google login in /home/u/.gemini)')).toBeInstanceOf(HTMLElement);
  });
});
