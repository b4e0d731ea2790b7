import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WireMessage } from '../../shared/events';
import type { Project } from '../../shared/records';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import { assistantText, userText, wire } from '../testing/wire';
import AgentPane from './AgentPane.svelte';

const project: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };

function renderPane() {
  const t = createTestStores();
  render(AgentPane, { props: { project }, context: t.context });
  const pane = screen.getByRole('region', { name: 'alpha' });
  const push = (...messages: WireMessage[]) => {
    t.rpc.emit('agent.message', { sessionId: 's1', messages });
    flushSync();
    // Streamed text renders at most once per animation frame (MarkdownView): let the frame come.
    vi.advanceTimersToNextFrame();
    flushSync();
  };
  return { ...t, pane, push, q: within(pane) };
}

// Only the animation frames are fake: the frame that shows coalesced deltas comes when a test steps it.
beforeEach(() => vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame'] }));
afterEach(() => vi.useRealTimers());

async function startSession(q: ReturnType<typeof within>) {
  await fireEvent.input(q.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'list the files' } });
  await fireEvent.click(q.getByRole('button', { name: 'Send' }));
  await settle();
  flushSync();
}

describe('AgentPane', () => {
  it('exposes the accessibility contract before any session', () => {
    const { q } = renderPane();
    const provider = q.getByRole('combobox', { name: 'Provider' }) as HTMLSelectElement;
    expect([...provider.options].map((o) => o.value)).toEqual(['claude', 'codex', 'ollama', 'acp']);
    expect(provider.value).toBe('claude');
    expect(q.getByRole('textbox', { name: 'Prompt' })).toBeInstanceOf(HTMLElement);
    expect((q.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    expect((q.getByRole('button', { name: 'Stop' }) as HTMLButtonElement).disabled).toBe(true);
    expect(q.getByRole('status', { name: 'Session status' }).textContent).toContain('idle');
    expect(q.getByRole('log', { name: 'Messages' })).toBeInstanceOf(HTMLElement);
    expect(q.getByLabelText('Cost')).toBeInstanceOf(HTMLElement);
    expect(q.getByLabelText('Tokens')).toBeInstanceOf(HTMLElement);
  });

  it('enables the providers that providers.list reports available', async () => {
    const { q, rpc, stores } = renderPane();
    const option = (v: string) => (q.getByRole('combobox', { name: 'Provider' }) as HTMLSelectElement).querySelector(`option[value="${v}"]`) as HTMLOptionElement;
    expect([option('claude').disabled, option('codex').disabled]).toEqual([false, true]);
    const info = (id: 'claude' | 'codex' | 'ollama' | 'acp', available: boolean) => ({ id, label: id, available, version: null, reason: available ? null : 'not found', models: [] });
    rpc.handle('providers.list', () => [info('claude', true), info('codex', true), info('ollama', false), info('acp', false)]);
    await stores.providers.load();
    flushSync();
    expect([option('claude').disabled, option('codex').disabled, option('ollama').disabled]).toEqual([false, false, true]);
    expect(option('ollama').title).toBe('not found');
  });

  it('starts a session on Send, shows its status, messages by role, cost and tokens', async () => {
    const { q, rpc, push } = renderPane();
    await startSession(q);
    expect(rpc.callsOf('agent.start')).toEqual([{ projectId: 'p1', provider: 'claude', prompt: 'list the files' }]);
    expect((q.getByRole('textbox', { name: 'Prompt' }) as HTMLTextAreaElement).value).toBe('');
    expect(q.getByRole('status', { name: 'Session status' }).textContent).toContain('starting');
    expect((q.getByRole('button', { name: 'Stop' }) as HTMLButtonElement).disabled).toBe(false);

    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    push(
      userText(0, 'list the files'),
      wire(1, { type: 'thinking', id: 't', text: 'I should run ls', mode: 'replace' }),
      wire(2, { type: 'tool_call', id: 'c1', name: 'Bash', input: { command: 'ls' }, command: 'ls -la' }),
      wire(3, { type: 'tool_call', id: 'c2', name: 'Read', input: {}, path: '/work/alpha/README.md' }),
      wire(4, { type: 'tool_result', id: 'c1', output: 'README.md', isError: false }),
      assistantText(5, 'There is **one** file.'),
      wire(6, { type: 'error', message: 'rate limited' }),
    );
    const log = q.getByRole('log', { name: 'Messages' });
    const roles = [...log.querySelectorAll('[data-role]')].map((el) => el.getAttribute('data-role'));
    expect(roles).toEqual(['user', 'thinking', 'tool-call', 'tool-call', 'tool-result', 'assistant', 'system']);
    expect(q.getByRole('status', { name: 'Session status' }).textContent).toContain('running');

    const calls = log.querySelectorAll('[data-role="tool-call"]');
    expect(calls[0].textContent).toContain('Bash');
    expect(calls[0].textContent).toContain('ls -la');
    expect(calls[1].textContent).toContain('Read');
    expect(calls[1].textContent).toContain('/work/alpha/README.md');
    expect(log.querySelector('[data-role="assistant"] strong')?.textContent).toBe('one');

    rpc.emit('agent.cost', { sessionId: 's1', costUsd: 0.0027, inputTokens: 1200, outputTokens: 345 });
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    flushSync();
    expect(q.getByLabelText('Cost').textContent).toBe('$0.0027');
    expect(q.getByLabelText('Tokens').textContent).toBe('1,200 in / 345 out');
    expect(q.getByRole('status', { name: 'Session status' }).textContent).toContain('done');
    expect((q.getByRole('button', { name: 'Stop' }) as HTMLButtonElement).disabled).toBe(true);

    rpc.emit('agent.cost', { sessionId: 's1', costUsd: null, inputTokens: 1, outputTokens: 2 });
    flushSync();
    expect(q.getByLabelText('Cost').textContent).toBe('cost not reported');
  });

  it('updates a streamed assistant message in place', async () => {
    const { q, push } = renderPane();
    await startSession(q);
    push(assistantText(0, 'Hel', 'm', 'append'));
    push(assistantText(1, 'lo there', 'm', 'append'));
    const rows = q.getByRole('log', { name: 'Messages' }).querySelectorAll('[data-role="assistant"]');
    expect(rows).toHaveLength(1);
    expect(rows[0].textContent).toContain('Hello there');
  });

  it('sends with Ctrl+Enter, and a follow-up goes to the same session', async () => {
    const { q, rpc } = renderPane();
    const box = q.getByRole('textbox', { name: 'Prompt' });
    await fireEvent.input(box, { target: { value: 'first' } });
    await fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    await settle();
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    await fireEvent.input(box, { target: { value: 'second' } });
    await fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    await settle();
    expect(rpc.callsOf('agent.start').map((c) => c.prompt)).toEqual(['first']);
    expect(rpc.callsOf('agent.prompt')).toEqual([{ sessionId: 's1', prompt: 'second' }]);
  });

  it('shows a refused start inline, keeping the prompt', async () => {
    const { q, rpc } = renderPane();
    rpc.handle('agent.start', () => ({ ok: false, error: 'Claude Code is not installed' }));
    await startSession(q);
    expect(q.getByRole('alert').textContent).toContain('Claude Code is not installed');
    expect((q.getByRole('textbox', { name: 'Prompt' }) as HTMLTextAreaElement).value).toBe('list the files');
  });

  it('keeps thinking collapsed by default', async () => {
    const { q, push } = renderPane();
    await startSession(q);
    push(wire(0, { type: 'thinking', id: 't', text: 'secret plan', mode: 'replace' }));
    const details = q.getByRole('log', { name: 'Messages' }).querySelector('[data-role="thinking"] details') as HTMLDetailsElement;
    expect(details).toBeInstanceOf(HTMLDetailsElement);
    expect(details.open).toBe(false);
  });

  it('shows tool output as text, truncated, with a Show more toggle', async () => {
    const { q, push } = renderPane();
    await startSession(q);
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
    lines[0] = '<img src=x onerror="window.__pwned=1"> <b>not bold</b>';
    push(wire(0, { type: 'tool_result', id: 'r', output: lines.join('\n'), isError: false }));
    const row = q.getByRole('log', { name: 'Messages' }).querySelector('[data-role="tool-result"]') as HTMLElement;
    const pre = row.querySelector('pre')!;
    expect(pre.textContent).toContain('line 12');
    expect(pre.textContent).not.toContain('line 13');
    expect(pre.textContent).toContain('<img src=x onerror=');
    expect(row.querySelector('img, b')).toBeNull();

    const more = within(row).getByRole('button', { name: 'Show more' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(more);
    expect(pre.textContent).toContain('line 40');
    await fireEvent.click(within(row).getByRole('button', { name: 'Show less' }));
    expect(row.querySelector('pre')!.textContent).not.toContain('line 13');
  });

  it('offers no toggle for short output', async () => {
    const { q, push } = renderPane();
    await startSession(q);
    push(wire(0, { type: 'tool_result', id: 'r', output: 'ok', isError: false }));
    expect(q.queryByRole('button', { name: 'Show more' })).toBeNull();
  });

  it('offers the options of a permission request and sends the chosen one', async () => {
    const { q, push, rpc } = renderPane();
    await startSession(q);
    push(
      wire(0, {
        type: 'permission_request', id: 'perm1', title: 'Run rm -rf build?',
        options: [{ optionId: 'yes', name: 'Allow', kind: 'allow_once' }, { optionId: 'no', name: 'Deny', kind: 'reject_once' }],
      }),
    );
    const group = q.getByRole('group', { name: 'Permission request' });
    expect(group.closest('[data-role]')?.getAttribute('data-role')).toBe('system');
    expect(group.textContent).toContain('Run rm -rf build?');
    await fireEvent.click(within(group).getByRole('button', { name: 'Allow' }));
    await settle();
    flushSync();
    expect(rpc.callsOf('agent.permission')).toEqual([{ sessionId: 's1', requestId: 'perm1', optionId: 'yes' }]);
    expect(within(group).queryByRole('button')).toBeNull();
    expect(group.textContent).toContain('Answered: Allow');
  });

  it('sanitizes assistant markdown: nothing executes or loads', async () => {
    const { q, push } = renderPane();
    await startSession(q);
    const evil = [
      '<script>window.__pwned = 1</script>',
      '<img src="x" onerror="window.__pwned = 2">',
      '[click me](javascript:window.__pwned=3)',
      '<a href="javascript:alert(1)">raw link</a>',
      '<svg><script>window.__pwned=4</script><circle onload="window.__pwned=5"/></svg>',
      '<iframe src="https://example.com"></iframe>',
      '![tracker](https://example.com/pixel.png)',
      '[docs](https://example.com/docs) and `code`',
    ].join('\n\n');
    push(assistantText(0, evil));
    const row = q.getByRole('log', { name: 'Messages' }).querySelector('[data-role="assistant"]') as HTMLElement;
    expect(row.querySelector('script, img, svg, iframe, object, embed, style')).toBeNull();
    for (const el of row.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        expect(attr.name.startsWith('on')).toBe(false);
        expect(attr.value.toLowerCase()).not.toContain('javascript:');
      }
    }
    const docs = [...row.querySelectorAll('a')].find((a) => a.textContent === 'docs')!;
    expect(docs.getAttribute('href')).toBe('https://example.com/docs');
    expect(docs.getAttribute('rel')).toBe('noopener noreferrer');
    expect(row.querySelector('code')?.textContent).toBe('code');
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });
});
