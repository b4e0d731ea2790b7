/** RPC handlers of the `app` domain: services of the host application (desktop or web). */
import type { Handlers } from '../../src/shared/rpc';

/** Shows a native notification; throws or rejects when the system refused it. */
export type Notifier = (notification: { title: string; body: string }) => void | Promise<void>;

/**
 * Without a notifier (web mode) `app.notify` answers `{ok:false}`: the page
 * then uses the browser Notification API. A notifier that fails also answers
 * `{ok:false}`; a missing notification is never worth an RPC error.
 */
export const appHandlers = (notify?: Notifier): Pick<Handlers, 'app.notify'> => ({
  'app.notify': async ({ title, body }) => {
    if (!notify) return { ok: false };
    try {
      await notify({ title, body });
      return { ok: true };
    } catch {
      return { ok: false };
    }
  },
});
