import { describe, expect, it } from 'vitest';
import { settle } from '../testing/settle';
import { createFakeClock } from '../../shared/clock';
import { createOsNotifier, type BrowserNotifications } from './os-notifications.svelte';
import { createToastStore } from './toasts.svelte';

function fakeBrowser(initial: BrowserNotifications['permission'] = 'default', answer: BrowserNotifications['permission'] = 'granted') {
  const shown: { title: string; body: string; tag?: string }[] = [];
  let permission = initial;
  const api: BrowserNotifications = {
    get permission() {
      return permission;
    },
    requestPermission: async () => (permission = answer),
    show: (title, options) => void shown.push({ title, ...options }),
  };
  return { api, shown };
}

describe('OS notifications', () => {
  it('web mode: nothing until the user allows it, then every toast while the tab is not focused', async () => {
    let focused = false;
    const browser = fakeBrowser();
    const os = createOsNotifier({ isFocused: () => focused, browser: browser.api });
    const toasts = createToastStore(createFakeClock(), { onNotify: (t) => os.notify(t) });
    expect(os.permission).toBe('default');
    toasts.notify({ kind: 'success', message: 'Agent completed on alpha' });
    expect(browser.shown).toEqual([]);
    await os.requestPermission();
    expect(os.permission).toBe('granted');
    toasts.notify({ kind: 'error', message: 'Agent error on alpha: boom' });
    toasts.notify({ kind: 'warning', key: 'stall:s1', message: 'Agent stalled on alpha (no activity for 15 min)' });
    focused = true;
    toasts.notify({ kind: 'success', message: 'seen in the window' });
    expect(browser.shown).toEqual([
      { title: 'Corral: error', body: 'Agent error on alpha: boom' },
      { title: 'Corral: attention', body: 'Agent stalled on alpha (no activity for 15 min)', tag: 'stall:s1' },
    ]);
  });

  it('a denied permission stays denied and shows nothing', async () => {
    const browser = fakeBrowser('default', 'denied');
    const os = createOsNotifier({ isFocused: () => false, browser: browser.api });
    await os.requestPermission();
    os.notify({ kind: 'success', message: 'x', key: null });
    expect([os.permission, browser.shown]).toEqual(['denied', []]);
    expect(createOsNotifier({ isFocused: () => false }).permission).toBe('unsupported');
  });

  it('desktop: asks the host (app.notify) and falls back to the browser only when the host cannot', async () => {
    const sent: unknown[] = [];
    let hostOk = true;
    const browser = fakeBrowser('granted');
    const os = createOsNotifier({ isFocused: () => false, browser: browser.api, host: async (n) => (sent.push(n), { ok: hostOk }) });
    os.notify({ kind: 'success', message: 'Agent completed on alpha', key: null });
    await settle();
    expect(sent).toEqual([{ title: 'Corral', body: 'Agent completed on alpha' }]);
    expect(browser.shown).toEqual([]);
    hostOk = false;
    os.notify({ kind: 'success', message: 'web mode answers ok:false', key: null });
    await settle();
    expect(browser.shown.map((n) => n.body)).toEqual(['web mode answers ok:false']);
  });
});

describe('OS notifications the desktop cannot show', () => {
  it('records the reason from a failed app.notify, reports it once, and keeps notifying through the host', async () => {
    const reasons: string[] = [];
    let calls = 0;
    const os = createOsNotifier({
      isFocused: () => false,
      host: async () => (calls++, { ok: false, reason: 'notify-send failed (exit 1: no daemon)' }),
      onUnavailable: (r) => reasons.push(r),
    });
    expect(os.unavailable).toBeNull();
    os.notify({ kind: 'error', message: 'Agent error on alpha', key: null });
    os.notify({ kind: 'success', message: 'Agent completed on alpha', key: null });
    await settle();
    expect(calls).toBe(2);
    expect(os.unavailable).toBe('notify-send failed (exit 1: no daemon)');
    expect(reasons).toEqual(['notify-send failed (exit 1: no daemon)']);
  });

  it('takes the reason from app.info at boot, and a later report does not repeat it', () => {
    const reasons: string[] = [];
    const os = createOsNotifier({ isFocused: () => true, onUnavailable: (r) => reasons.push(r) });
    os.hostUnavailable('notify-send was not found; install libnotify-bin');
    os.hostUnavailable('notify-send failed (exit 1)');
    expect(os.unavailable).toBe('notify-send was not found; install libnotify-bin');
    expect(reasons).toEqual(['notify-send was not found; install libnotify-bin']);
  });
});
