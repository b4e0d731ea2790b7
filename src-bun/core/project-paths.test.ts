import { describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveProjectDir, resolveSessionCwd } from './project-paths';

const base = () => realpathSync(mkdtempSync(join(tmpdir(), 'corral-paths-')));

describe('project paths', () => {
  it('resolves a symlinked project folder to its real path', () => {
    const root = base();
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    expect(resolveProjectDir(join(root, 'link'))).toBe(join(root, 'real'));
    expect(resolveProjectDir('real', root)).toBe(join(root, 'real'));
  });

  it('refuses a cwd that escapes the project through .. or a symlink', () => {
    const root = base();
    mkdirSync(join(root, 'project', 'sub'), { recursive: true });
    mkdirSync(join(root, 'outside'));
    symlinkSync(join(root, 'outside'), join(root, 'project', 'sneaky'));
    const project = join(root, 'project');
    expect(resolveSessionCwd(project, 'sub')).toBe(join(project, 'sub'));
    expect(resolveSessionCwd(project)).toBe(project);
    expect(() => resolveSessionCwd(project, '../outside')).toThrow('is outside the project');
    expect(() => resolveSessionCwd(project, 'sneaky')).toThrow(`Working directory ${join(root, 'outside')} is outside the project`);
    expect(() => resolveSessionCwd(project, join(root, 'project-evil'))).toThrow('does not exist');
  });

  it('refuses empty paths and NUL bytes', () => {
    expect(() => resolveProjectDir('   ')).toThrow('Project path is empty');
    expect(() => resolveProjectDir('/tmp\0/x')).toThrow('NUL byte');
  });
});
