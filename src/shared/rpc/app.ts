/** RPC domain `app`: what the UI asks of the host application itself (not of sessions or projects). */
import { z } from 'zod';

/** Requests of the `app` domain, composed into the contract in `index.ts`. */
export const appRequests = {
  /**
   * Raises a native OS notification. The desktop answers `{ok:true}` once it
   * handed it to the system (Electrobun `Utils.showNotification`); web mode has
   * no desktop to notify and answers `{ok:false}`, so the page uses the browser
   * Notification API instead.
   */
  'app.notify': {
    params: z.object({ title: z.string().min(1, 'Title is empty').max(256), body: z.string().max(4096) }).strict(),
    response: z.object({ ok: z.boolean(), reason: z.string().optional() }),
  },
  /**
   * What host the UI runs in: `desktop` (the Electrobun window) or `web`,
   * and whether the desktop can show OS notifications (on Linux it needs
   * `notify-send`; `reason` says what is missing).
   */
  'app.info': {
    params: z.object({}).strict(),
    response: z.object({
      mode: z.enum(['desktop', 'web']),
      notifications: z.object({ available: z.boolean(), reason: z.string().optional() }),
    }),
  },
};
