/**
 * The hang can't come back: `npm start`'s entry (src-bun/start.ts) with a
 * display but a broken Electrobun core must say why in one line, end
 * everything it started, and serve the web mode within 25 s.
 *
 * Each case runs start.ts against a copy of this project whose
 * `node_modules/electrobun` has one part of the native core broken:
 * - a launcher that ignores SIGTERM and never opens a window (what users hit
 *   when Electrobun started `desktop.js` instead of `index.js`);
 * - a `libNativeWrapper.so` that is not a library at all.
 * Everything else in the copy is a symlink to the real project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines } from '../../src-bun/ndjson/line-reader';
import { coreBuilt, processesWithEnv, ROOT, startDisplay, type Display } from './harness';

const FALLBACK_BUDGET_MS = 25_000;
let display: Display;
let scratch: string;

beforeAll(async () => {
  if (!coreBuilt()) throw new Error('Electrobun native core missing: run ../shared/electrobun-core/build.sh node_modules/electrobun (test/run-all.sh does)');
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'corral-broken-core-'));
});

afterAll(() => {
  display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A copy of the project: symlinks to every top-level entry, a node_modules of symlinks, and a real copy of electrobun to break. */
function projectWithCore(name: string, breakCore: (distDir: string) => void): string {
  const root = join(scratch, name);
  mkdirSync(root);
  for (const entry of readdirSync(ROOT)) {
    if (entry === 'node_modules' || entry === 'build' || entry === '.git') continue;
    symlinkSync(join(ROOT, entry), join(root, entry));
  }
  const modules = join(root, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === 'electrobun' || entry === '.bin') continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  cpSync(join(ROOT, 'node_modules', 'electrobun'), join(modules, 'electrobun'), { recursive: true });
  mkdirSync(join(modules, '.bin'));
  symlinkSync('../electrobun/bin/electrobun.cjs', join(modules, '.bin', 'electrobun'));
  breakCore(join(modules, 'electrobun', 'dist-linux-x64'));
  return root;
}

type StartRun = { lines: string[]; fallbackMs: number; url: string; exitCode: number; leftover: number[] };

/** Runs start.ts on the broken copy until it serves the web mode, checks the page answers, then Ctrl+C. */
async function startOn(root: string, marker: string): Promise<StartRun> {
  const dataDir = join(scratch, `${marker}-data`);
  const t0 = performance.now();
  const proc = Bun.spawn([process.execPath, join(ROOT, 'src-bun', 'start.ts'), '--data-dir', dataDir, '--no-open'], {
    cwd: ROOT,
    env: { ...process.env, ...display.env, CORRAL_DESKTOP_ROOT: root, CORRAL_DESKTOP_TIMEOUT_MS: '', CORRAL_TEST_MARKER: marker, HOME: join(scratch, 'home') },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const lines: string[] = [];
  let fallbackMs = -1;
  const url = await new Promise<string>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`no web UI within ${FALLBACK_BUDGET_MS + 5000} ms:\n${lines.slice(-20).join('\n')}`)), FALLBACK_BUDGET_MS + 5000);
    void readLines(proc.stdout, {
      line(l) {
        lines.push(l);
        const m = /^Corral web UI: (\S+)/.exec(l);
        if (m) {
          fallbackMs = performance.now() - t0;
          clearTimeout(guard);
          resolve(m[1]!);
        }
      },
      oversized: () => {},
    }).then(() => reject(new Error(`start.ts ended before serving the web UI:\n${lines.slice(-20).join('\n')}`)));
    void readLines(proc.stderr, { line: (l) => lines.push(l), oversized: () => {} });
  });
  // What the web fallback left of the desktop attempt: nothing may still run with its marker but start.ts itself.
  const leftover = processesWithEnv('CORRAL_TEST_MARKER', marker).filter((pid) => pid !== proc.pid);
  const page = await fetch(url.replace(/\?.*$/, ''));
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<title>Corral</title>');
  proc.kill('SIGINT');
  const exitCode = await proc.exited;
  return { lines, fallbackMs, url, exitCode, leftover };
}

describe('npm start with a broken Electrobun core', () => {
  it('falls back to the web mode within 25 s when the launcher hangs and ignores SIGTERM', async () => {
    const root = projectWithCore('hung-launcher', (dist) => {
      // The shape of the original bug: a launcher that never opens a window and shrugs off SIGTERM.
      writeFileSync(join(dist, 'launcher'), "#!/bin/sh\ntrap '' TERM\nwhile :; do sleep 1; done\n");
      chmodSync(join(dist, 'launcher'), 0o755);
    });
    const run = await startOn(root, 'hung');
    console.log(`[figure] hung launcher: web UI after ${Math.round(run.fallbackMs)} ms`);
    expect(run.fallbackMs).toBeLessThan(FALLBACK_BUDGET_MS);
    const reason = run.lines.filter((l) => l.startsWith('Corral: desktop window unavailable'));
    expect(reason).toEqual(['Corral: desktop window unavailable: the desktop app did not start: no window appeared within 20 s; serving the web UI instead.']);
    expect(run.leftover).toEqual([]);
    expect(run.exitCode).toBe(0);
  }, 60_000);

  it('falls back with the reason when the native library cannot load', async () => {
    const root = projectWithCore('bad-library', (dist) => writeFileSync(join(dist, 'libNativeWrapper.so'), 'not an ELF file\n'));
    const run = await startOn(root, 'badlib');
    const reason = run.lines.filter((l) => l.startsWith('Corral: desktop window unavailable'));
    console.log(`[figure] unloadable libNativeWrapper.so: web UI after ${Math.round(run.fallbackMs)} ms; ${reason[0]}`);
    expect(run.fallbackMs).toBeLessThan(FALLBACK_BUDGET_MS);
    expect(reason).toHaveLength(1);
    expect(reason[0]).toMatch(/^Corral: desktop window unavailable: the desktop app (did not start: the desktop app exited with code \d+ before its window appeared|did not start: no window appeared within 20 s)/);
    expect(run.leftover).toEqual([]);
    expect(run.exitCode).toBe(0);
  }, 60_000);
});
