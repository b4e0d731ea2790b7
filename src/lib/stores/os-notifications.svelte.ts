/**
 * Native OS notifications for toasts raised while the window or tab is not
 * focused. The desktop app shows them through the main process (`app.notify`,
 * Electrobun `Utils.showNotification`); in a browser the main process answers
 * `{ok:false}` and the page uses the Notification API, once the user allowed it.
 */
import type { Toast } from './toasts.svelte';

/** Where a browser's Notification API stands; `unsupported` when there is none (or the desktop shell handles it). */
export type OsPermission = 'unsupported' | 'default' | 'granted' | 'denied';

/** The part of the browser Notification API the notifier uses; tests pass a fake. */
export interface BrowserNotifications {
  readonly permission: Exclude<OsPermission, 'unsupported'>;
  requestPermission(): Promise<Exclude<OsPermission, 'unsupported'>>;
  show(title: string, options: { body: string; tag?: string }): void;
}

/** Options of {@link createOsNotifier}. */
export interface OsNotifierDeps {
  /** True while the user looks at the app: then the toast is enough. */
  isFocused: () => boolean;
  /** Asks the host app to notify (`app.notify`); resolves ok:false when it cannot (web mode). */
  host?: (n: { title: string; body: string }) => Promise<{ ok: boolean; reason?: string }>;
  /** The browser's Notification API, if any. */
  browser?: BrowserNotifications | null;
  /** Called once, when the host first reports that it cannot show OS notifications (e.g. no notify-send). */
  onUnavailable?: (reason: string) => void;
}

/** The notifier's public face. */
export interface OsNotifier {
  /** Browser permission state, reactive; `unsupported` hides the "allow" offer. */
  readonly permission: OsPermission;
  /** Asks the browser for permission (must run from a user gesture). */
  requestPermission(): Promise<void>;
  /** Raises an OS notification for a toast, if the app is not focused. */
  notify(toast: Pick<Toast, 'kind' | 'message' | 'key'>): void;
  /** Why the host cannot show OS notifications, reactive; null while they work (or nothing failed yet). */
  readonly unavailable: string | null;
  /** The host reports it cannot notify (`app.info` at boot, or a failed `app.notify`). Only the first report calls `onUnavailable`. */
  hostUnavailable(reason: string): void;
}

const TITLES: Record<Toast['kind'], string> = { success: 'Corral', info: 'Corral', warning: 'Corral: attention', error: 'Corral: error' };

/** Creates the notifier; see the module comment. */
export function createOsNotifier(deps: OsNotifierDeps): OsNotifier {
  const browser = deps.browser ?? null;
  let permission = $state<OsPermission>(browser ? browser.permission : 'unsupported');
  let unavailable = $state<string | null>(null);
  function hostUnavailable(reason: string) {
    if (unavailable !== null) return;
    unavailable = reason;
    deps.onUnavailable?.(reason);
  }

  function showInBrowser(title: string, body: string, tag: string | null) {
    if (!browser || browser.permission !== 'granted') return;
    try {
      browser.show(title, { body, ...(tag ? { tag } : {}) });
    } catch (err) {
      console.warn(`notification failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return {
    get permission() {
      return permission;
    },
    get unavailable() {
      return unavailable;
    },
    hostUnavailable,
    async requestPermission() {
      if (!browser) return;
      try {
        permission = await browser.requestPermission();
      } catch {
        permission = browser.permission;
      }
    },
    notify(toast) {
      if (deps.isFocused()) return;
      const title = TITLES[toast.kind];
      if (!deps.host) return showInBrowser(title, toast.message, toast.key);
      deps.host({ title, body: toast.message }).then(
        (res) => {
          if (res.ok) return;
          // The desktop host failed to show it (it says why); web mode answers without a reason.
          if (res.reason) hostUnavailable(res.reason);
          showInBrowser(title, toast.message, toast.key);
        },
        () => showInBrowser(title, toast.message, toast.key),
      );
    },
  };
}

/** The page's Notification API as {@link BrowserNotifications}, or null where there is none. */
export function browserNotifications(win: Window & typeof globalThis): BrowserNotifications | null {
  const N = win.Notification;
  if (typeof N !== 'function') return null;
  return {
    get permission() {
      return N.permission;
    },
    requestPermission: () => N.requestPermission(),
    show: (title, options) => void new N(title, options),
  };
}
