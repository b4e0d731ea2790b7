import { describe, expect, it } from 'bun:test';
import { createRunningCounter, trayMenu, trayTitle } from './tray';

describe('tray', () => {
  it('counts sessions while they start or run, and forgets them when they end', () => {
    const c = createRunningCounter();
    expect(c.status('a', 'starting')).toBe(true);
    expect(c.status('a', 'running')).toBe(false);
    expect(c.status('b', 'running')).toBe(true);
    expect(c.count()).toBe(2);
    expect(c.status('a', 'done')).toBe(true);
    expect(c.status('c', 'error')).toBe(false);
    expect(c.count()).toBe(1);
    expect(trayTitle(c.count())).toBe('Corral: 1 running');
    expect(trayTitle(0)).toBe('Corral');
  });

  it('offers Show Corral and Quit under the running count', () => {
    expect(trayMenu(2).map((i) => ('label' in i ? i.label : '—'))).toEqual(['2 sessions running', '—', 'Show Corral', 'Quit']);
    expect(trayMenu(1)[0]).toMatchObject({ label: '1 session running', enabled: false });
  });
});
