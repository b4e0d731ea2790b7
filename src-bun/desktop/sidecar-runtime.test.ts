import { describe, expect, it } from 'bun:test';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIDECAR_BUN_VAR, sidecarRuntime } from './sidecar-runtime';

describe('the Bun that runs the desktop sidecars', () => {
  it('is the one npm start names when it can be run, else the app’s own, with a warning for a named one that cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-sidecar-bun-'));
    const notExecutable = join(dir, 'bun-copy');
    writeFileSync(notExecutable, '');
    chmodSync(notExecutable, 0o644);
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    expect(sidecarRuntime({ [SIDECAR_BUN_VAR]: process.execPath }, '/app/bin/bun', warn)).toBe(process.execPath);
    expect(sidecarRuntime({}, '/app/bin/bun', warn)).toBe('/app/bin/bun');
    expect(warnings).toEqual([]);
    expect(sidecarRuntime({ [SIDECAR_BUN_VAR]: join(dir, 'missing') }, '/app/bin/bun', warn)).toBe('/app/bin/bun');
    expect(sidecarRuntime({ [SIDECAR_BUN_VAR]: notExecutable }, '/app/bin/bun', warn)).toBe('/app/bin/bun');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toStartWith(`${SIDECAR_BUN_VAR}=${join(dir, 'missing')} cannot be run (`);
    expect(warnings[0]).toEndWith('); sidecars run on /app/bin/bun');
  });
});
