import { describe, expect, it } from 'vitest';
import { createFakeRpc, deferred } from '../testing/fake-rpc';
import { record } from '../testing/session-store-harness';
import { settle } from '../testing/settle';
import { userText } from '../testing/wire';
import { prefetchBoot } from './boot-prefetch';

const project = (id: string) => ({ id, name: id, path: `/w/${id}`, createdAt: 1 });
const last = { projectId: 'p1', session: record(), messages: [userText(7, 'restored')], more: true };

describe('boot prefetch: the first reads travel while the app loads', () => {
  it("sends settings, projects and every project's restore at once, and answers the app's identical requests from them, once", async () => {
    const fake = createFakeRpc({ 'projects.list': () => [project('p1'), project('p2')], 'session.loadLast': () => ({ sessions: [last] }) });
    let t = 0;
    const rpc = prefetchBoot(fake.client, { tail: 500, now: () => t });
    expect(fake.calls.map((c) => [c.method, c.params])).toEqual([
      ['settings.getAll', {}],
      ['projects.list', {}],
      ['session.loadLast', { tail: 500 }],
    ]);
    t = 50;
    expect(await rpc.request('projects.list', {})).toEqual([project('p1'), project('p2')]);
    expect(await rpc.request('session.load', { projectId: 'p1', tail: 500 })).toEqual({ session: record(), messages: [userText(7, 'restored')], more: true });
    expect(fake.calls).toHaveLength(3);
    // A project the answer does not hold (no session yet, or added since) is asked for.
    expect(await rpc.request('session.load', { projectId: 'p2', tail: 500 })).toEqual({ session: null });
    // Taken once: a second boot (after a reconnect) asks again; other params are other requests.
    await rpc.request('projects.list', {});
    await rpc.request('session.load', { projectId: 'p1', tail: 500 });
    await rpc.request('session.load', { projectId: 'p1', tail: 20 });
    await settle();
    expect(fake.calls.slice(3).map((c) => [c.method, c.params])).toEqual([
      ['session.load', { projectId: 'p2', tail: 500 }],
      ['projects.list', {}],
      ['session.load', { projectId: 'p1', tail: 500 }],
      ['session.load', { projectId: 'p1', tail: 20 }],
    ]);
  });

  it('hands a failed read to the request that takes it, and does not serve answers older than maxAgeMs', async () => {
    const settings = deferred<never>();
    const fake = createFakeRpc({ 'settings.getAll': () => settings.promise });
    let t = 0;
    const rpc = prefetchBoot(fake.client, { tail: 500, now: () => t, maxAgeMs: 1000 });
    settings.reject(new Error('database is locked'));
    await expect(rpc.request('settings.getAll', {})).rejects.toThrow('database is locked');
    t = 1001;
    await rpc.request('projects.list', {});
    await rpc.request('session.load', { projectId: 'p1', tail: 500 });
    expect(fake.callsOf('projects.list')).toHaveLength(2);
    expect(fake.callsOf('session.load')).toEqual([{ projectId: 'p1', tail: 500 }]);
  });
});
