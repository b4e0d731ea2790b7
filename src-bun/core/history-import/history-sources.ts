/**
 * Finds the session files Claude Code and Codex stored for a folder, and
 * summarises each (first prompt, message count, dates). Read-only: files are
 * listed, stat'ed and read, never written, moved or locked.
 *
 * - Claude Code keeps `<config>/projects/<slug>/<session id>.jsonl`, where
 *   `<config>` is `CLAUDE_CONFIG_DIR` or `~/.claude` and `<slug>` is the
 *   folder's absolute path with every character other than a-z, A-Z, 0-9
 *   replaced by `-` (Claude Code 2.1.330).
 * - Codex keeps `<CODEX_HOME or ~/.codex>/sessions/YYYY/MM/DD/rollout-*.jsonl`;
 *   the first line (`session_meta`) names the thread and its `cwd`, which
 *   must equal the folder.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryProvider, HistorySource } from '../../../src/shared/rpc/history';
import { createClaudeHistoryMapper } from './claude-history';
import { createCodexHistoryMapper } from './codex-history';
import type { HistoryMapper } from './history-mapper';
import { readFirstObject, readHistoryPages } from './history-reader';

/** The environment variables the CLIs locate their files by. */
export type HistoryEnv = { HOME?: string; CLAUDE_CONFIG_DIR?: string; CODEX_HOME?: string };

/** Claude Code's folder name for a project folder: every non-alphanumeric character becomes '-'. */
export const claudeSlug = (folder: string): string => folder.replace(/[^a-zA-Z0-9]/g, '-');

/** Claude Code's folder of session files for `folder`. */
export function claudeProjectDir(folder: string, env: HistoryEnv): string | null {
  const config = env.CLAUDE_CONFIG_DIR || (env.HOME ? join(env.HOME, '.claude') : null);
  return config ? join(config, 'projects', claudeSlug(folder)) : null;
}

/** Codex's folder of rollout files. */
export function codexSessionsDir(env: HistoryEnv): string | null {
  const home = env.CODEX_HOME || (env.HOME ? join(env.HOME, '.codex') : null);
  return home ? join(home, 'sessions') : null;
}

/** A new mapper for a provider's files. */
export function historyMapper(provider: HistoryProvider): HistoryMapper {
  return provider === 'claude' ? createClaudeHistoryMapper() : createCodexHistoryMapper();
}

function rolloutFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...rolloutFiles(path));
    else if (entry.isFile() && entry.name.startsWith('rollout-') && entry.name.endsWith('.jsonl')) out.push(path);
  }
  return out;
}

type Summary = Omit<HistorySource, 'importedSessionId'>;
type Cached = { size: number; mtimeMs: number; summary: Summary | null };

/** Lists and summarises history files; summaries are cached per file until its size or mtime changes. */
export function createHistorySources(env: HistoryEnv) {
  const cache = new Map<string, Cached>();
  /** Codex rollout path -> its cwd (null when unreadable), by size and mtime. */
  const cwdCache = new Map<string, { size: number; mtimeMs: number; cwd: string | null }>();

  async function summarise(provider: HistoryProvider, path: string): Promise<Summary | null> {
    const st = statSync(path);
    const hit = cache.get(path);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.summary;
    const mapper = historyMapper(provider);
    const stats = { lines: 0, badLines: 0, bytes: 0 };
    let firstPrompt = '';
    let messageCount = 0;
    for await (const page of readHistoryPages(path, stats)) {
      for (const line of page) {
        for (const { event } of mapper.map(line.value)) {
          messageCount++;
          if (!firstPrompt && event.type === 'text' && event.role === 'user') firstPrompt = event.text.slice(0, 200);
        }
      }
    }
    const id = mapper.meta.providerSessionId;
    const summary: Summary | null = id ? {
      provider, path, providerSessionId: id, startedAt: mapper.meta.startedAt ?? st.mtimeMs, modifiedAt: st.mtimeMs,
      firstPrompt, messageCount, sizeBytes: st.size,
    } : null;
    cache.set(path, { size: st.size, mtimeMs: st.mtimeMs, summary });
    return summary;
  }

  async function codexCwd(path: string): Promise<string | null> {
    const st = statSync(path);
    const hit = cwdCache.get(path);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.cwd;
    const first = await readFirstObject(path);
    const payload = first?.type === 'session_meta' && typeof first.payload === 'object' && first.payload ? (first.payload as { cwd?: unknown }) : null;
    const cwd = typeof payload?.cwd === 'string' ? payload.cwd : null;
    cwdCache.set(path, { size: st.size, mtimeMs: st.mtimeMs, cwd });
    return cwd;
  }

  /** Files of `folder`, by provider; an unreadable file is left out (and logged by the caller's `onError`). */
  async function files(folder: string, onError: (path: string, e: unknown) => void): Promise<{ provider: HistoryProvider; path: string }[]> {
    const out: { provider: HistoryProvider; path: string }[] = [];
    const claudeDir = claudeProjectDir(folder, env);
    if (claudeDir && existsSync(claudeDir)) {
      for (const name of readdirSync(claudeDir)) if (name.endsWith('.jsonl')) out.push({ provider: 'claude', path: join(claudeDir, name) });
    }
    const codexDir = codexSessionsDir(env);
    if (codexDir && existsSync(codexDir)) {
      for (const path of rolloutFiles(codexDir)) {
        try {
          if ((await codexCwd(path)) === folder) out.push({ provider: 'codex', path });
        } catch (e) {
          onError(path, e);
        }
      }
    }
    return out;
  }

  return {
    /**
     * The sessions stored for `folder` (an absolute, symlink-resolved path),
     * newest first, without import state. Files with no session id (empty,
     * or nothing but bad lines) are left out.
     */
    async list(folder: string, onError: (path: string, e: unknown) => void = () => {}): Promise<Summary[]> {
      const out: Summary[] = [];
      for (const f of await files(folder, onError)) {
        try {
          const summary = await summarise(f.provider, f.path);
          if (summary) out.push(summary);
        } catch (e) {
          onError(f.path, e);
        }
      }
      return out.sort((a, b) => b.startedAt - a.startedAt);
    },
  };
}
export type HistorySources = ReturnType<typeof createHistorySources>;
