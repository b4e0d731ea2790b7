import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../shared/clock';
import { createToastStore } from './toasts.svelte';

describe('toast store', () => {
  it('auto-dismisses success and info after 5 s, keeps warnings and errors until dismissed', () => {
    const clock = createFakeClock();
    const toasts = createToastStore(clock);
    toasts.notify({ kind: 'success', message: 'Agent completed on alpha' });
    toasts.notify({ kind: 'info', message: 'fyi' });
    const errorId = toasts.notify({ kind: 'error', message: 'Agent error on alpha: boom' });
    toasts.notify({ kind: 'warning', message: 'careful' });
    clock.advance(4999);
    expect(toasts.visible).toHaveLength(4);
    clock.advance(1);
    expect(toasts.visible.map((t) => t.kind)).toEqual(['error', 'warning']);
    clock.advance(60 * 60_000);
    expect(toasts.visible).toHaveLength(2);
    toasts.dismiss(errorId);
    expect(toasts.visible.map((t) => t.message)).toEqual(['careful']);
    expect(clock.pending()).toBe(0);
  });

  it('keeps the last 100 notifications, newest first, with read state', () => {
    const toasts = createToastStore(createFakeClock());
    for (let i = 1; i <= 120; i++) toasts.notify({ kind: 'info', message: `n${i}` });
    expect(toasts.history).toHaveLength(100);
    expect(toasts.history[0].message).toBe('n120');
    expect(toasts.history.at(-1)!.message).toBe('n21');
    expect(toasts.unreadCount).toBe(100);
    toasts.markRead(toasts.history[0].id);
    expect(toasts.unreadCount).toBe(99);
    toasts.markAllRead();
    expect(toasts.unreadCount).toBe(0);
  });

  it('stays in history after dismissal, and the read flag is shared with the visible toast', () => {
    const toasts = createToastStore(createFakeClock());
    const id = toasts.notify({ kind: 'error', message: 'x' });
    toasts.markRead(id);
    expect(toasts.visible[0].read).toBe(true);
    toasts.dismiss(id);
    expect(toasts.history.map((t) => t.id)).toEqual([id]);
  });

  it('caps the toasts on screen, letting self-dismissing ones go first', () => {
    const toasts = createToastStore(createFakeClock(), { maxVisible: 3 });
    toasts.notify({ kind: 'error', message: 'e1' });
    toasts.notify({ kind: 'success', message: 's1' });
    toasts.notify({ kind: 'error', message: 'e2' });
    toasts.notify({ kind: 'error', message: 'e3' });
    expect(toasts.visible.map((t) => t.message)).toEqual(['e1', 'e2', 'e3']);
    toasts.notify({ kind: 'error', message: 'e4' });
    expect(toasts.visible.map((t) => t.message)).toEqual(['e2', 'e3', 'e4']);
  });

  it('replaces a visible toast with the same key instead of stacking', () => {
    const toasts = createToastStore(createFakeClock());
    toasts.notify({ kind: 'warning', key: 'save:s1', message: 'first' });
    toasts.notify({ kind: 'warning', key: 'save:s1', message: 'second' });
    expect(toasts.visible.map((t) => t.message)).toEqual(['second']);
    expect(toasts.history).toHaveLength(2);
  });
});
