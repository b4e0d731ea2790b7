/**
 * Writes benchmark data straight into a Corral data dir through the real
 * store (src-bun/core/store.ts): projects, finished sessions, and their
 * messages as a real session stores them (a prompt, a tool call and its
 * result per step, an answer).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent, WireMessage } from '../../src/shared/events';
import { createStore } from '../../src-bun/core/store';

/** `count` messages of one session, seqIds 0..count-1, ms timestamps from `ts0`; the last is the text `lastText`. */
export function sessionMessages(count: number, ts0: number, lastText: string): WireMessage[] {
  const out: WireMessage[] = [];
  for (let seqId = 0; seqId < count; seqId++) {
    const k = seqId % 4;
    const id = `m${seqId}`;
    const event: AgentEvent = seqId === count - 1 ? { type: 'text', id, role: 'assistant', text: lastText, mode: 'replace' }
      : k === 0 ? { type: 'text', id, role: 'user', text: `Step ${seqId}: run the tests in src/app.ts`, mode: 'replace' }
      : k === 1 ? { type: 'tool_call', id, name: 'Bash', input: { command: `npm test -- ${seqId}` }, command: `npm test -- ${seqId}` }
      : k === 2 ? { type: 'tool_result', id: `m${seqId - 1}`, output: `ok ${seqId}\n`.repeat(3), isError: false }
      : { type: 'text', id, role: 'assistant', text: `All ${seqId} tests pass; the change to **src/app.ts** is done.`, mode: 'replace' };
    out.push({ seqId, ts: ts0 + seqId, event });
  }
  return out;
}

/** What {@link writeStoredSessions} made: project ids (and folders), and per project its session ids, oldest first. */
export type StoredData = { dbFile: string; projects: { id: string; path: string; sessionIds: string[] }[] };

/**
 * Creates `projects` projects (folders under `root`) with `sessionsPerProject`
 * finished sessions of `messagesPerSession` messages each in `dataDir`'s
 * corral.db. The newest session of each project ends with the text
 * `last <project index>`.
 */
export function writeStoredSessions(root: string, dataDir: string, opts: { projects: number; sessionsPerProject: number; messagesPerSession: number }): StoredData {
  const dbFile = join(dataDir, 'corral.db');
  const store = createStore(dbFile);
  const t0 = 1_750_000_000_000;
  const projects: StoredData['projects'] = [];
  try {
    for (let p = 0; p < opts.projects; p++) {
      const path = join(root, `project-${p}`);
      mkdirSync(path, { recursive: true });
      const id = `project-${p}`;
      store.projects.insert({ id, name: `project-${p}`, path, createdAt: t0 + p });
      const sessionIds: string[] = [];
      for (let s = 0; s < opts.sessionsPerProject; s++) {
        const createdAt = t0 + p * 1_000_000 + s * 10_000;
        const sessionId = `${id}-session-${s}`;
        store.sessions.insert({
          id: sessionId, projectId: id, provider: 'claude', status: 'done', reason: 'completed', error: null, providerSessionId: `prov-${sessionId}`,
          model: null, costUsd: 0.01, inputTokens: 1000, outputTokens: 200, createdAt, updatedAt: createdAt + 5000, cwd: path, optionsJson: '{"permissionMode":"default"}',
          sidecarPid: null, sidecarStartTicks: null,
        });
        const last = s === opts.sessionsPerProject - 1 ? `last ${p}` : `end of ${sessionId}`;
        store.messages.save(sessionId, sessionMessages(opts.messagesPerSession, createdAt, last));
        sessionIds.push(sessionId);
      }
      projects.push({ id, path, sessionIds });
    }
  } finally {
    store.close();
  }
  return { dbFile, projects };
}
