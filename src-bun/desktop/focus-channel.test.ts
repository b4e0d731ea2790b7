import { afterEach, describe, expect, it } from 'bun:test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenForFocus, requestFocus } from './focus-channel';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'corral-focus-')); dirs.push(d); return d; };

describe('focus channel', () => {
  it('delivers a show request from another process to the running instance', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'corral.sock'), 'left by a crashed run');
    let shown = 0;
    const close = listenForFocus(dir, () => shown++, () => {})!;
    const child = Bun.spawn([process.execPath, '-e', `import { requestFocus } from ${JSON.stringify(join(import.meta.dir, 'focus-channel.ts'))}; console.log(await requestFocus(${JSON.stringify(dir)}));`], { stdout: 'pipe' });
    expect((await new Response(child.stdout).text()).trim()).toBe('true');
    for (let i = 0; i < 100 && shown === 0; i++) await Bun.sleep(5); // the socket's data callback runs on our event loop
    expect(shown).toBe(1);
    close();
    expect(existsSync(join(dir, 'corral.sock'))).toBe(false);
  });

  it('answers false when nobody listens', async () => {
    const dir = tempDir();
    expect(await requestFocus(dir)).toBe(false);
    writeFileSync(join(dir, 'corral.sock'), '');
    expect(await requestFocus(dir)).toBe(false);
  });

  it('declines a data dir whose socket path would be too long, and says so', () => {
    const warnings: string[] = [];
    expect(listenForFocus(join(tempDir(), 'x'.repeat(120)), () => {}, (m) => warnings.push(m))).toBeNull();
    expect(warnings[0]).toEndWith('is too long for a Unix socket; a second start cannot bring this window forward');
  });
});
