/**
 * The tray icon: how many sessions are running, and a menu (Show Corral,
 * Quit). The count comes from the `agent.status` events the core publishes,
 * so the tray needs no access to the core. Where the platform has no tray
 * (Linux without a StatusNotifier host), Electrobun creates none and logs
 * it; the window works the same.
 */
import type { SessionStatus } from '../../src/shared/events';

const RUNNING: readonly SessionStatus[] = ['starting', 'running'];

/** Counts sessions whose last published status is starting or running. */
export function createRunningCounter() {
  const running = new Set<string>();
  return {
    /** Feeds one `agent.status` payload; returns true when the count changed. */
    status(sessionId: string, status: SessionStatus): boolean {
      const before = running.size;
      if (RUNNING.includes(status)) running.add(sessionId);
      else running.delete(sessionId);
      return running.size !== before;
    },
    count: (): number => running.size,
  };
}

/** The tray's title for `count` running sessions. */
export function trayTitle(count: number): string {
  return count === 0 ? 'Corral' : `Corral: ${count} running`;
}

/** Menu actions of the tray. */
export type TrayAction = 'show' | 'quit';

/** The tray menu, in Electrobun's MenuItemConfig shape. */
export function trayMenu(count: number) {
  return [
    { type: 'normal' as const, label: count === 0 ? 'No sessions running' : `${count} session${count === 1 ? '' : 's'} running`, enabled: false },
    { type: 'divider' as const },
    { type: 'normal' as const, label: 'Show Corral', action: 'show' satisfies TrayAction },
    { type: 'normal' as const, label: 'Quit', action: 'quit' satisfies TrayAction },
  ];
}
