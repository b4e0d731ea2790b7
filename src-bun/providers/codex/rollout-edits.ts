/**
 * I/O for the Codex runner: finds the text of the patches behind a turn's
 * `file_change` items, which `codex exec --json` leaves out, in the thread's
 * rollout file (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<thread_id>.jsonl`,
 * Codex 0.169), and places their chunks by reading the changed files. The
 * parsing is ./patch-edits.ts.
 *
 * Why the rollout: it is Codex's own record of the `apply_patch` call, so the
 * diff shows what Codex applied. Reading a file before the change is not
 * possible (the item arrives once Codex has started applying it), and
 * `codex app-server`, whose items do carry a diff, would mean another runner.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FileEdit } from '../../../src/shared/events';
import { parsePatchEdits, placeEdits, rolloutPatches } from './patch-edits';

/** A file_change item waiting for its patch: Codex's item id and the files it changed. */
export type PendingChange = { itemId: string; changes: { path: string; kind: string }[] };

/** The Codex home a runner's Codex uses: `CODEX_HOME`, else `~/.codex`. */
export function codexHomeOf(env: Record<string, string | undefined> | undefined): string {
  return env?.CODEX_HOME || join(env?.HOME || homedir(), '.codex');
}

/** The rollout file of `threadId` under `codexHome/sessions`, or undefined when there is none (yet). */
export function findRollout(codexHome: string, threadId: string): string | undefined {
  const sessions = join(codexHome, 'sessions');
  if (!existsSync(sessions)) return undefined;
  const name = readdirSync(sessions, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith(`${threadId}.jsonl`));
  return name ? join(sessions, name) : undefined;
}

/** Reads a file's text, or undefined when it cannot be read. */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Tracks one turn's patches. `begin` counts the patches the rollout already
 * holds (earlier turns); `resolve` matches pending file_change items, in
 * order, to this turn's patches that touch the same files, and returns the
 * placed edits of those it matched. An item whose patch is not in the
 * rollout yet stays pending for the next call; the runner calls once more
 * after Codex exits, when the rollout is complete.
 */
export function createRolloutEdits(codexHome: string, cwd: string) {
  let rollout: string | undefined;
  let before = 0;
  let used = 0;
  const pending: PendingChange[] = [];
  const patches = (threadId: string): string[] => {
    rollout ??= findRollout(codexHome, threadId);
    const text = rollout ? readText(rollout) : undefined;
    return text ? rolloutPatches(text) : [];
  };
  return {
    /** Call at the start of a turn of `threadId` (undefined for a new thread). */
    begin(threadId: string | undefined) {
      before = threadId ? patches(threadId).length : 0;
      used = 0;
      pending.length = 0;
    },
    /** Queues a completed file_change item. */
    add(change: PendingChange) {
      pending.push(change);
    },
    /** Matches what it can; returns `[itemId, edits]` per matched item, in order. */
    resolve(threadId: string | undefined): [string, FileEdit[]][] {
      if (!threadId || pending.length === 0) return [];
      const fresh = patches(threadId).slice(before + used);
      const matched: [string, FileEdit[]][] = [];
      while (pending.length > 0 && fresh.length > 0) {
        const change = pending[0]!;
        const edits = parsePatchEdits(fresh.shift()!, cwd);
        used++;
        const paths = change.changes.filter((c) => c.kind !== 'delete').map((c) => c.path);
        // A patch Codex refused (it never became a file_change) touches other files, or none: skip it.
        if (!paths.every((p) => edits.some((e) => e.path === p))) continue;
        pending.shift();
        const placed = paths.flatMap((path) => {
          const own = edits.filter((e) => e.path === path);
          const after = own.some((e) => e.oldText !== null) ? readText(path) : undefined;
          return after === undefined ? own : placeEdits(own, after);
        });
        matched.push([change.itemId, placed]);
      }
      return matched;
    },
  };
}
