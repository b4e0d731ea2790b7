import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { APP_STORES } from '../app-context';
import { createOsNotifier, type BrowserNotifications } from '../stores/os-notifications.svelte';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import NotificationCenter from './NotificationCenter.svelte';

function renderCenter(browser?: BrowserNotifications) {
  const t = createTestStores();
  const stores = browser ? { ...t.stores, os: createOsNotifier({ isFocused: () => false, browser }) } : t.stores;
  render(NotificationCenter, { context: new Map([[APP_STORES, stores]]) });
  return { ...t, stores };
}

describe('NotificationCenter', () => {
  it('shows the unread count, and lists the notifications newest first with their read state', async () => {
    const { stores } = renderCenter();
    expect(screen.getByRole('button', { name: 'Notifications' })).toBeInstanceOf(HTMLElement);
    stores.toasts.notify({ kind: 'success', message: 'Agent completed on alpha' });
    stores.toasts.notify({ kind: 'error', message: 'Agent error on beta: boom' });
    flushSync();
    const toggle = screen.getByRole('button', { name: 'Notifications, 2 unread' });
    expect(toggle.textContent).toContain('2');
    await fireEvent.click(toggle);
    const list = within(screen.getByRole('dialog', { name: 'Notification center' })).getByRole('list', { name: 'Notification history' });
    const items = within(list).getAllByRole('button');
    expect(items.map((b) => b.getAttribute('aria-label'))).toEqual(['Unread: Agent error on beta: boom', 'Unread: Agent completed on alpha']);
    await fireEvent.click(items[1]);
    expect(within(list).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Unread: Agent error on beta: boom', 'Agent completed on alpha']);
    expect(screen.getByRole('button', { name: 'Notifications, 1 unread' })).toBeInstanceOf(HTMLElement);
    await fireEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    expect(screen.getByRole('button', { name: 'Notifications' }).getAttribute('aria-expanded')).toBe('true');
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keeps the last 100', async () => {
    const { stores } = renderCenter();
    for (let i = 1; i <= 130; i++) stores.toasts.notify({ kind: 'info', message: `n${i}` });
    flushSync();
    await fireEvent.click(screen.getByRole('button', { name: 'Notifications, 100 unread' }));
    expect(within(screen.getByRole('list', { name: 'Notification history' })).getAllByRole('listitem')).toHaveLength(100);
  });

  it('offers to enable desktop notifications where the browser asks first', async () => {
    let permission: BrowserNotifications['permission'] = 'default';
    const shown: string[] = [];
    const browser: BrowserNotifications = {
      get permission() {
        return permission;
      },
      requestPermission: async () => (permission = 'granted'),
      show: (title, o) => void shown.push(`${title}: ${o.body}`),
    };
    const { stores } = renderCenter(browser);
    await fireEvent.click(screen.getByRole('button', { name: 'Notifications' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Enable desktop notifications' }));
    await settle();
    flushSync();
    expect(screen.queryByRole('button', { name: 'Enable desktop notifications' })).toBeNull();
    stores.os.notify({ kind: 'success', message: 'Agent completed on alpha', key: null });
    expect(shown).toEqual(['Corral: Agent completed on alpha']);
  });
});
