/**
 * Path rules for projects and session working directories. Paths are
 * resolved through symlinks, so `..` and link tricks cannot escape a project.
 */
import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A path the user gave that cannot be used; the message is shown as is. */
export class PathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathError';
  }
}

/**
 * Resolves a user-given project path (`~` expanded, relative to `base`) to
 * its real absolute path. Throws {@link PathError} when it does not exist or
 * is not a directory.
 */
export function resolveProjectDir(input: string, base = process.cwd()): string {
  const trimmed = input.trim();
  if (!trimmed) throw new PathError('Project path is empty');
  if (trimmed.includes('\0')) throw new PathError('Project path contains a NUL byte');
  const expanded = trimmed === '~' || trimmed.startsWith('~/') ? homedir() + trimmed.slice(1) : trimmed;
  const absolute = isAbsolute(expanded) ? expanded : resolve(base, expanded);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    throw new PathError(`Project path does not exist: ${absolute}`);
  }
  if (!statSync(real).isDirectory()) throw new PathError(`Project path is not a directory: ${real}`);
  return real;
}

/** True when `child` (already real) is `parent` or inside it. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

/**
 * Resolves a session cwd: defaults to the project dir; relative paths are
 * taken from the project. Throws {@link PathError} when it is missing, not a
 * directory, or outside the project (after resolving symlinks).
 */
export function resolveSessionCwd(projectDir: string, cwd?: string): string {
  if (!cwd) return projectDir;
  const real = resolveProjectDir(cwd, projectDir);
  if (!isInside(projectDir, real)) throw new PathError(`Working directory ${real} is outside the project ${projectDir}`);
  return real;
}
