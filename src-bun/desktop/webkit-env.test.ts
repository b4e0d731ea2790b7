import { describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasRenderNode, webkitEnv } from './webkit-env';

function dri(...nodes: string[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'corral-dri-')), 'dri');
  mkdirSync(dir);
  for (const n of nodes) writeFileSync(join(dir, n), '');
  return dir;
}

describe('the desktop window’s WebKit environment', () => {
  it('turns compositing off on Linux when there is no GPU render node, and says why', () => {
    for (const dir of [dri(), dri('card0'), '/nonexistent/dri']) {
      const out = webkitEnv({ DISPLAY: ':0' }, 'linux', dir);
      expect(out?.env).toEqual({ WEBKIT_DISABLE_COMPOSITING_MODE: '1' });
      expect(out?.note).toBe(`no GPU render node in ${dir}, so the window draws without WebKit's compositing, which would run in software (set WEBKIT_DISABLE_COMPOSITING_MODE yourself to choose)`);
    }
  });

  it('adds nothing with a render node, on another platform, or when the user chose', () => {
    expect(hasRenderNode(dri('card0', 'renderD128'))).toBe(true);
    expect(webkitEnv({}, 'linux', dri('card0', 'renderD128'))).toBeNull();
    expect(webkitEnv({}, 'darwin', dri())).toBeNull();
    expect(webkitEnv({ WEBKIT_DISABLE_COMPOSITING_MODE: '0' }, 'linux', dri())).toBeNull();
  });
});
