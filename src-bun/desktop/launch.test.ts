import { afterEach, describe, expect, it } from 'bun:test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchDesktop, launchDesktopRetrying } from './launch';

/**
 * A stand-in for `electrobun dev`, a real process: each start appends a line to `starts`; it crashes with
 * `CRASH` (a signal name) while fewer than `CRASHES` starts came before it, exits with `EXIT` if set, and
 * otherwise prints the app's ready line and waits for SIGTERM.
 */
const APP = `
const { appendFileSync, readFileSync, existsSync } = require('node:fs');
const starts = process.env.STARTS;
const before = existsSync(starts) ? readFileSync(starts, 'utf8').split('\\n').filter(Boolean).length : 0;
appendFileSync(starts, 'start\\n');
console.error('Application menus are not supported on Linux.');
if (before < Number(process.env.CRASHES ?? 0)) process.kill(process.pid, process.env.CRASH);
else if (process.env.EXIT) process.exit(Number(process.env.EXIT));
else { console.log('[corral] window ready in 42 ms (pid ' + process.pid + ')'); setInterval(() => {}, 1000); }
`;

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function app(env: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), 'corral-launch-'));
  const script = join(dir, 'app.js');
  writeFileSync(script, APP);
  const starts = join(dir, 'starts');
  const notes: string[] = [];
  const opts = { argv: [process.execPath, script], cwd: dir, env: { ...process.env, STARTS: starts, ...env }, timeoutMs: 10_000, out: () => {}, err: () => {} };
  const startCount = () => (existsSync(starts) ? Bun.file(starts).text().then((t) => t.split('\n').filter(Boolean).length) : Promise.resolve(0));
  return { opts, notes, startCount };
}

describe('launching the desktop app', () => {
  it('a crash by signal before the window is reported with its signal', async () => {
    const { opts } = app({ CRASHES: '1', CRASH: 'SIGTRAP' });
    const result = await launchDesktop(opts);
    expect(result).toEqual({
      kind: 'failed', crashSignal: 5,
      reason: 'the desktop app exited with code 133 before its window appeared (Application menus are not supported on Linux.)',
    });
  });

  it('a crash before the window starts the app once more, and says so', async () => {
    const { opts, notes, startCount } = app({ CRASHES: '1', CRASH: 'SIGTRAP' });
    const result = await launchDesktopRetrying(opts, (line) => notes.push(line));
    expect(result.kind).toBe('ready');
    expect(notes).toEqual(['the desktop app exited with code 133 before its window appeared (Application menus are not supported on Linux.); starting it once more']);
    expect(await startCount()).toBe(2);
    if (result.kind === 'ready') expect(await result.stop()).toBe(143);
  });

  it('a second crash is returned, without a third start', async () => {
    const { opts, notes, startCount } = app({ CRASHES: '5', CRASH: 'SIGABRT' });
    const result = await launchDesktopRetrying(opts, (line) => notes.push(line));
    expect(result).toMatchObject({ kind: 'failed', crashSignal: 6 });
    expect(notes).toHaveLength(1);
    expect(await startCount()).toBe(2);
  });

  it('an exit with an error code, or an end by SIGTERM, is not retried', async () => {
    for (const env of [{ EXIT: '1' }, { CRASHES: '1', CRASH: 'SIGTERM' }] as Record<string, string>[]) {
      const { opts, notes, startCount } = app(env);
      const result = await launchDesktopRetrying(opts, (line) => notes.push(line));
      expect(result.kind).toBe('failed');
      expect(result.kind === 'failed' && result.crashSignal).toBeUndefined();
      expect(notes).toEqual([]);
      expect(await startCount()).toBe(1);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
