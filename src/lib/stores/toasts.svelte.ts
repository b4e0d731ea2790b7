/**
 * Toasts and the notification history behind them. Success and info toasts
 * leave by themselves; warnings and errors stay until the user dismisses them.
 * Every toast also lands in a bounded history with a read flag, which a
 * notification center can list.
 */
import type { Clock, TimerHandle } from '../../shared/clock';

/** Severity of a notification; `warning` and `error` are announced as alerts. */
export type ToastKind = 'success' | 'info' | 'warning' | 'error';

/** What a store hands to `notify`. */
export interface NotifyInput {
  kind: ToastKind;
  message: string;
  /** Groups repeats: a toast with the key of a visible one replaces it instead of stacking. */
  key?: string;
}

/** The notifier stores are given; {@link ToastStore.notify} is one. */
export type Notify = (input: NotifyInput) => void;

/** One notification, visible or in history. */
export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly message: string;
  readonly key: string | null;
  /** ms since epoch */
  readonly createdAt: number;
  read: boolean;
}

/** Options of {@link createToastStore}. */
export interface ToastStoreOptions {
  /** How long success and info toasts stay, ms. */
  autoDismissMs?: number;
  /** Notifications kept in history. */
  historyLimit?: number;
  /** Toasts on screen at once; the oldest gives way. */
  maxVisible?: number;
  /** Called for every new notification, e.g. to raise an OS notification when the window is not focused. */
  onNotify?: (toast: Toast) => void;
}

/** The toast store's public face. */
export interface ToastStore {
  /** Toasts on screen, oldest first. */
  readonly visible: readonly Toast[];
  /** Notifications, newest first, at most `historyLimit`. */
  readonly history: readonly Toast[];
  readonly unreadCount: number;
  /** Shows a toast and records it; returns its id. */
  notify(input: NotifyInput): number;
  /** Takes a toast off the screen; it stays in history. */
  dismiss(id: number): void;
  markRead(id: number): void;
  markAllRead(): void;
  clearHistory(): void;
}

const AUTO_DISMISS: Record<ToastKind, boolean> = { success: true, info: true, warning: false, error: false };

/** Creates a toast store whose timers run on `clock`. */
export function createToastStore(clock: Clock, options: ToastStoreOptions = {}): ToastStore {
  const autoDismissMs = options.autoDismissMs ?? 5000;
  const historyLimit = options.historyLimit ?? 100;
  const maxVisible = options.maxVisible ?? 5;

  let visible = $state<Toast[]>([]);
  let history = $state<Toast[]>([]);
  const unreadCount = $derived(history.reduce((n, t) => n + (t.read ? 0 : 1), 0));
  const timers = new Map<number, TimerHandle>();
  let nextId = 1;

  function dismiss(id: number) {
    const timer = timers.get(id);
    if (timer !== undefined) clock.clearTimeout(timer);
    timers.delete(id);
    const i = visible.findIndex((t) => t.id === id);
    if (i >= 0) visible.splice(i, 1);
  }

  function notify(input: NotifyInput): number {
    const id = nextId++;
    // One proxy shared by `visible` and `history`, so its read flag is the same in both.
    const toast: Toast = $state({ id, kind: input.kind, message: input.message, key: input.key ?? null, createdAt: clock.now(), read: false });
    if (toast.key !== null) for (const old of visible.filter((t) => t.key === toast.key)) dismiss(old.id);
    visible.push(toast);
    while (visible.length > maxVisible) {
      const victim = visible.find((t) => AUTO_DISMISS[t.kind]) ?? visible[0];
      dismiss(victim.id);
    }
    history.unshift(toast);
    if (history.length > historyLimit) history.length = historyLimit;
    if (AUTO_DISMISS[toast.kind]) timers.set(id, clock.setTimeout(() => dismiss(id), autoDismissMs));
    options.onNotify?.(toast);
    return id;
  }

  return {
    get visible() {
      return visible;
    },
    get history() {
      return history;
    },
    get unreadCount() {
      return unreadCount;
    },
    notify,
    dismiss,
    markRead(id) {
      const t = history.find((h) => h.id === id);
      if (t) t.read = true;
    },
    markAllRead() {
      for (const t of history) t.read = true;
    },
    clearHistory() {
      history = [];
    },
  };
}
