/** RPC handlers of the `app` domain: services of the host application (desktop or web). */
import type { Handlers } from '../../src/shared/rpc';

/** Shows a native notification; throws or rejects (with the reason) when the system refused it. */
export type Notifier = (notification: { title: string; body: string }) => void | Promise<void>;

/** What the host entry tells the UI about itself (see `app.info`). */
export type HostInfo = () => { mode: 'desktop' | 'web'; notifications: { available: boolean; reason?: string } };

/**
 * Without a notifier (web mode) `app.notify` answers `{ok:false}`: the page
 * then uses the browser Notification API. A notifier that fails also answers
 * `{ok:false}`; a missing notification is never worth an RPC error.
 */
export const appHandlers = (notify?: Notifier, info?: HostInfo): Pick<Handlers, 'app.notify' | 'app.info'> => ({
  'app.notify': async ({ title, body }) => {
    if (!notify) return { ok: false };
    try {
      await notify({ title, body });
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  },
  // Web mode: the page decides about the browser's Notification API itself.
  'app.info': () => info?.() ?? { mode: 'web', notifications: { available: true } },
});
