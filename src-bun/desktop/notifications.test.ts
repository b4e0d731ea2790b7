import { describe, expect, it } from 'bun:test';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDesktopNotifier, runCommand, type DesktopNotifierDeps } from './notifications';

const base = (over: Partial<DesktopNotifierDeps>): DesktopNotifierDeps => ({
  platform: 'linux', which: () => null, run: runCommand, showNative: () => { throw new Error('not on linux'); }, warn: () => {}, ...over,
});

describe('desktop notifier', () => {
  it('knows at start that notifications are unavailable without notify-send, says how to fix it once, and rejects', async () => {
    const warnings: string[] = [];
    const n = createDesktopNotifier(base({ warn: (m) => warnings.push(m) }));
    expect(n.health()).toEqual({ available: false, reason: 'notify-send was not found; install libnotify-bin (apt-get install libnotify-bin)' });
    await expect(n.notify({ title: 'Corral', body: 'done' })).rejects.toThrow('install libnotify-bin');
    expect(warnings).toEqual(['OS notifications unavailable: notify-send was not found; install libnotify-bin (apt-get install libnotify-bin)']);
  });

  it('runs a real notify-send without a shell, passing title and body as arguments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-notify-'));
    const log = join(dir, 'log');
    const fake = join(dir, 'notify-send');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > ${log}\n`);
    chmodSync(fake, 0o755);
    const n = createDesktopNotifier(base({ which: () => fake }));
    await n.notify({ title: 'Corral: error', body: 'it failed; $(rm -rf /) stays text' });
    expect(readFileSync(log, 'utf8').split('\n')).toEqual(['--app-name=Corral', '--', 'Corral: error', 'it failed; $(rm -rf /) stays text', '']);
    expect(n.health()).toEqual({ available: true });
  });

  it('marks notifications unavailable when notify-send fails, with its exit code and message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-notify-'));
    const fake = join(dir, 'notify-send');
    writeFileSync(fake, '#!/bin/sh\necho "GDBus.Error: no notification daemon" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const n = createDesktopNotifier(base({ which: () => fake }));
    await expect(n.notify({ title: 'Corral', body: 'x' })).rejects.toThrow('notify-send failed (exit 1: GDBus.Error: no notification daemon)');
    expect(n.health()).toEqual({ available: false, reason: 'notify-send failed (exit 1: GDBus.Error: no notification daemon)' });
  });

  it('uses the native call off Linux', async () => {
    const shown: unknown[] = [];
    const n = createDesktopNotifier(base({ platform: 'darwin', showNative: (x) => shown.push(x) }));
    await n.notify({ title: 'Corral', body: 'done' });
    expect(shown).toEqual([{ title: 'Corral', body: 'done' }]);
    expect(n.health()).toEqual({ available: true });
  });
});
