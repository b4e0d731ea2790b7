import { describe, expect, it } from 'bun:test';
import { desktopBlocker } from './start';

describe('npm start', () => {
  it('says why the desktop window cannot open, or null when it can be tried', () => {
    expect(desktopBlocker({}, 'linux')).toContain('there is no display');
    expect(desktopBlocker({ DISPLAY: ':0' }, 'linux')).toBeNull();
    expect(desktopBlocker({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeNull();
    expect(desktopBlocker({}, 'darwin')).toBeNull();
    expect(desktopBlocker({ DISPLAY: ':0', CORRAL_WEB: '1' }, 'linux')).toContain('CORRAL_WEB=1');
  });
});
