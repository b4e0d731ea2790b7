import { describe, expect, it } from 'vitest';
import { createFakeRpc, deferred } from '../testing/fake-rpc';
import { settle } from '../testing/settle';
import { prefetchBoot } from './boot-prefetch';

const project = (id: string) => ({ id, name: id, path: `/w/${id}`, createdAt: 1 });

describe('boot prefetch: the first reads travel while the app loads', () => {
  it("sends settings, projects and each project's restore at once, and answers the app's identical requests from them, once", async () => {
    const fake = createFakeRpc({ 'projects.list': () => [project('p1'), project('p2')] });
    let t = 0;
    const rpc = prefetchBoot(fake.client, { tail: 500, now: () => t });
    await settle();
    expect(fake.calls.map((c) => [c.method, c.params])).toEqual([
      ['settings.getAll', {}],
      ['projects.list', {}],
      ['session.load', { projectId: 'p1', tail: 500 }],
      ['session.load', { projectId: 'p2', tail: 500 }],
    ]);
    t = 50;
    await rpc.request('projects.list', {});
    await rpc.request('session.load', { projectId: 'p2', tail: 500 });
    expect(fake.calls).toHaveLength(4);
    // Taken once: a second boot (after a reconnect) asks again; other params are other requests.
    await rpc.request('projects.list', {});
    await rpc.request('session.load', { projectId: 'p1', tail: 20 });
    expect(fake.calls.slice(4).map((c) => [c.method, c.params])).toEqual([
      ['projects.list', {}],
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
    expect(fake.callsOf('projects.list')).toHaveLength(2);
  });
});
