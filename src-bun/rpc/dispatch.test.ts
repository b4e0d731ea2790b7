import { describe, expect, it } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from '../core/testdata/harness';
import { createHandlers } from '.';
import { dispatch } from './dispatch';

function setup() {
  const h = createHarness();
  const handlers = createHandlers(h.core);
  const call = (method: string, params: unknown) => dispatch(handlers, { type: 'request', id: 7, method, params }, { clientId: 't' });
  return { ...h, call };
}

describe('rpc dispatch', () => {
  it('answers a valid request with its payload', async () => {
    const { call } = setup();
    const dir = mkdtempSync(join(tmpdir(), 'corral-rpc-'));
    const res = await call('projects.add', { path: dir });
    expect(res).toMatchObject({ type: 'response', id: 7, success: true, payload: { path: expect.any(String), name: expect.stringMatching(/^corral-rpc-/) } });
    expect(await call('projects.list', {})).toMatchObject({ success: true, payload: [{ name: expect.stringMatching(/^corral-rpc-/) }] });
  });

  it('gives clear errors for unknown methods, wrong types, missing fields and extra fields', async () => {
    const { call } = setup();
    expect(await call('projects.explode', {})).toMatchObject({ success: false, error: 'Unknown method "projects.explode"' });
    expect(await call('projects.add', { path: 42 })).toMatchObject({ success: false, error: expect.stringContaining('Invalid params for projects.add: path:') });
    expect(await call('agent.start', { provider: 'claude', prompt: 'x' })).toMatchObject({ success: false, error: expect.stringContaining('projectId') });
    expect(await call('agent.stop', { sessionId: 's', extra: 1 })).toMatchObject({ success: false, error: expect.stringContaining('extra') });
    expect(await call('agent.start', { projectId: 'p', provider: 'gpt-pirate', prompt: 'x' })).toMatchObject({ success: false, error: expect.stringContaining('provider') });
  });

  it("restores with a tail: session.load's newest messages and more, session.loadLast for every project, pages before a seqId", async () => {
    const { call, core } = setup();
    core.store.projects.insert({ id: 'p1', name: 'one', path: '/w/one', createdAt: 1 });
    core.store.projects.insert({ id: 'p2', name: 'two', path: '/w/two', createdAt: 2 });
    core.store.sessions.insert({
      id: 's1', projectId: 'p1', provider: 'claude', status: 'done', reason: null, error: null, providerSessionId: null, model: null, costUsd: null,
      inputTokens: 0, outputTokens: 0, createdAt: 1, updatedAt: 1, cwd: '/w/one', optionsJson: '{}', sidecarPid: null, sidecarStartTicks: null,
    });
    core.store.messages.save('s1', Array.from({ length: 30 }, (_, seqId) => ({ seqId, ts: seqId, event: { type: 'text' as const, id: `m${seqId}`, role: 'assistant' as const, text: `t${seqId}`, mode: 'replace' as const } })));
    const seqs = (res: unknown) => ((res as { payload: { messages: { seqId: number }[] } }).payload.messages).map((m) => m.seqId);
    const tail = await call('session.load', { projectId: 'p1', tail: 4 });
    expect(tail).toMatchObject({ success: true, payload: { session: { id: 's1' }, more: true } });
    expect(seqs(tail)).toEqual([26, 27, 28, 29]);
    expect(await call('session.load', { projectId: 'p1' })).toEqual({ type: 'response', id: 7, success: true, payload: { session: expect.objectContaining({ id: 's1' }) } });
    const all = await call('session.loadLast', { tail: 2 });
    expect(all).toMatchObject({ success: true, payload: { sessions: [{ projectId: 'p1', session: { id: 's1' }, more: true }] } });
    expect((all as { payload: { sessions: { messages: { seqId: number }[] }[] } }).payload.sessions[0]!.messages.map((m) => m.seqId)).toEqual([28, 29]);
    expect(seqs(await call('session.messages.load', { sessionId: 's1', beforeSeqId: 26, limit: 3 }))).toEqual([23, 24, 25]);
    expect(await call('session.messages.load', { sessionId: 's1', beforeSeqId: 2, limit: 3 })).toMatchObject({ payload: { more: false } });
    expect(await call('session.loadLast', { tail: 0 })).toMatchObject({ success: false, error: expect.stringContaining('Invalid params for session.loadLast: tail:') });
  });

  it('refuses huge strings', async () => {
    const { call } = setup();
    const res = await call('projects.add', { path: 'x'.repeat(5000) });
    expect(res).toMatchObject({ success: false, error: expect.stringContaining('path:') });
  });

  it('refuses reserved extraEnv keys, naming the key', async () => {
    const { call, core } = setup();
    const project = core.projects.add(mkdtempSync(join(tmpdir(), 'corral-rpc-')));
    for (const key of ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'OLLAMA_HOST', 'ANTHROPIC_API_KEY', 'PATH', 'HOME', 'NODE_OPTIONS', 'LD_PRELOAD', 'DYLD_LIBRARY_PATH', 'BUN_OPTIONS']) {
      const res = await call('agent.start', { projectId: project.id, provider: 'claude', prompt: 'x', options: { extraEnv: { [key]: 'v' } } });
      expect(res).toMatchObject({ success: false, error: expect.stringContaining(`extraEnv key ${key} is not allowed`) });
    }
    expect(await call('agent.start', { projectId: project.id, provider: 'claude', prompt: 'x', options: { extraEnv: { 'BAD KEY': 'v' } } }))
      .toMatchObject({ success: false, error: expect.stringContaining('env keys are letters') });
  });

  it('refuses project paths that are missing or not directories', async () => {
    const { call } = setup();
    const dir = mkdtempSync(join(tmpdir(), 'corral-rpc-'));
    const file = join(dir, 'f.txt');
    writeFileSync(file, 'x');
    expect(await call('projects.add', { path: join(dir, 'nope') })).toMatchObject({ success: false, error: expect.stringContaining('does not exist') });
    expect(await call('projects.add', { path: file })).toMatchObject({ success: false, error: expect.stringContaining('is not a directory') });
    expect(await call('projects.add', { path: '' })).toMatchObject({ success: false, error: expect.stringContaining('Project path is empty') });
  });

  it('validates setting values against their key', async () => {
    const { call } = setup();
    expect(await call('settings.set', { key: 'retention_count', value: 99 })).toMatchObject({ success: false, error: expect.stringContaining('Keep at most 50 sessions') });
    expect(await call('settings.set', { key: 'no_such_key', value: 1 })).toMatchObject({ success: false, error: expect.stringContaining('key') });
    expect(await call('settings.set', { key: 'retention_count', value: 7 })).toMatchObject({ success: true, payload: { retention_count: 7 } });
  });

  it('app.notify: ok:false without a notifier (web mode), hands title and body to the desktop notifier, validates params', async () => {
    const { call, core } = setup();
    expect(await call('app.notify', { title: 'Corral', body: 'Agent completed on alpha' })).toMatchObject({ success: true, payload: { ok: false } });
    const shown: unknown[] = [];
    const desktop = createHandlers(core, { notify: (n) => void shown.push(n) });
    const notify = (params: unknown) => dispatch(desktop, { type: 'request', id: 8, method: 'app.notify', params }, { clientId: 'desktop' });
    expect(await notify({ title: 'Corral', body: 'Agent completed on alpha' })).toMatchObject({ success: true, payload: { ok: true } });
    expect(shown).toEqual([{ title: 'Corral', body: 'Agent completed on alpha' }]);
    expect(await notify({ title: '', body: 'x' })).toMatchObject({ success: false, error: expect.stringContaining('Title is empty') });
    expect(await notify({ title: 't', body: 'x', icon: 'evil' })).toMatchObject({ success: false, error: expect.stringContaining('icon') });
    const failing = createHandlers(core, { notify: () => { throw new Error('notify-send missing'); } });
    expect(await dispatch(failing, { type: 'request', id: 9, method: 'app.notify', params: { title: 't', body: 'b' } }, { clientId: 'd' }))
      .toMatchObject({ success: true, payload: { ok: false } });
  });

  it('ignores packets that are not requests and rejects bad ids', async () => {
    const { core } = setup();
    const handlers = createHandlers(core);
    expect(await dispatch(handlers, 'hello', { clientId: 't' })).toBeNull();
    expect(await dispatch(handlers, { type: 'message', id: 'x' }, { clientId: 't' })).toBeNull();
    expect(await dispatch(handlers, { type: 'request', id: 'one', method: 'projects.list' }, { clientId: 't' })).toMatchObject({ success: false, error: expect.stringContaining('id') });
  });

  it('survives a fuzz of random packets without throwing', async () => {
    const { core } = setup();
    const handlers = createHandlers(core);
    const methods = ['projects.list', 'projects.add', 'projects.remove', 'agent.start', 'agent.prompt', 'agent.stop', 'session.persist', 'session.sync', 'session.load',
      'session.messages.load', 'settings.getAll', 'settings.set', 'app.notify', 'constructor', '__proto__', 'toString'];
    const values = [null, undefined, 0, -1, 1e308, '', 'x'.repeat(10_000), [], {}, { path: '/' }, { sessionId: 'x' }, true, { key: 'retention_count', value: 'x' }];
    let seed = 42;
    const rand = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff; return seed % n; };
    let responses = 0;
    for (let i = 0; i < 2000; i++) {
      const res = await dispatch(handlers, { type: 'request', id: i, method: methods[rand(methods.length)], params: values[rand(values.length)] }, { clientId: 'f' });
      if (res) responses++;
      if (res && !res.success) expect(typeof res.error).toBe('string');
    }
    expect(responses).toBe(2000);
  });
});
