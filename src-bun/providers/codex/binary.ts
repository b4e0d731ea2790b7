/**
 * Where the Codex CLI is: a path from settings, else the native binary of
 * the bundled `@openai/codex` package, else `codex` on PATH. The bundled
 * package's `bin/codex.js` is a Node wrapper that, on Node < 23.11, keeps a
 * Node process between us and the binary; spawning the binary itself means
 * signals (stop) reach Codex directly and no Node is needed.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Rust target triple of the native binary shipped for each platform package. */
const TRIPLES: Record<string, string> = {
  'linux-x64': 'x86_64-unknown-linux-musl',
  'linux-arm64': 'aarch64-unknown-linux-musl',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
  'win32-x64': 'x86_64-pc-windows-msvc',
  'win32-arm64': 'aarch64-pc-windows-msvc',
};

/** Path of the bundled native Codex binary for this platform, or null when the platform package is missing. */
export function bundledCodexBinary(platform: string = process.platform, arch: string = process.arch): string | null {
  const key = `${platform}-${arch}`;
  const triple = TRIPLES[key];
  if (!triple) return null;
  try {
    const root = dirname(require.resolve(`@openai/codex-${key}/package.json`));
    const binary = join(root, 'vendor', triple, 'bin', platform === 'win32' ? 'codex.exe' : 'codex');
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Version of the bundled `@openai/codex` package (e.g. `0.169.0`), or null. */
export function bundledCodexVersion(): string | null {
  try {
    return (require('@openai/codex/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}

/** Finds `name` in the `PATH` of `env`; returns the first existing file, or null. */
export function findOnPath(name: string, env: Record<string, string | undefined>): string | null {
  if (name.includes('/')) return existsSync(name) ? name : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** How the Codex binary was found: `setting`, `bundled` or `path`. */
export type CodexBinary = { path: string; source: 'setting' | 'bundled' | 'path' };

/**
 * Resolves the Codex binary: `executable` (a setting) must exist; otherwise
 * the bundled binary, then `codex` on the PATH of `env`. Null when none is found.
 */
export function resolveCodexBinary(executable: string | undefined, env: Record<string, string | undefined>): CodexBinary | null {
  if (executable) return existsSync(executable) ? { path: executable, source: 'setting' } : null;
  const bundled = bundledCodexBinary();
  if (bundled) return { path: bundled, source: 'bundled' };
  const onPath = findOnPath('codex', env);
  return onPath ? { path: onPath, source: 'path' } : null;
}
