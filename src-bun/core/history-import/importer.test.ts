/**
 * The importer over the recorded history files placed where the CLIs keep
 * them, under a temporary HOME: listing, import in pages with progress,
 * idempotence, the resume id, retention right after an import, and that the
 * CLI's files are left as they were.
 */
import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../../../src/shared/clock';
import type { HistoryImportProgress } from '../../../src/shared/rpc/history';
import { sessionsToPurge } from '../retention';
import { createStore, type Store } from '../store';
import { claudeSlug } from './history-sources';
import { createHistoryImporter, type HistoryImporter } from './importer';

const FIXTURES = join(import.meta.dir, '../../../test/fixtures/history');
const CLAUDE_ID = '9344f7aa-9a5e-4a24-8259-d0ed678affeb';
const CODEX_ID = '01a23af1-779c-7f92-a8b3-e016bc12ac1a';

let root: string;
let project: string;
let store: Store;
let importer: HistoryImporter;
let progress: HistoryImportProgress[];
let files: { claude: string; codex: string };
const clock = createFakeClock(1_800_000_000_000);
const silent = { info() {}, warn() {}, error() {} };

/** A fixture with the recording's folder replaced by this test's project folder. */
function place(fixture: string, to: string): string {
  mkdirSync(join(to, '..'), { recursive: true });
  writeFileSync(to, readFileSync(join(FIXTURES, fixture), 'utf8').replaceAll('/tmp/corral-fixture/proj', project));
  return to;
}
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'corral-import-')));
  project = join(root, 'proj');
  mkdirSync(project);
  const home = join(root, 'home');
  files = {
    claude: place('claude.jsonl', join(home, '.claude', 'projects', claudeSlug(project), `${CLAUDE_ID}.jsonl`)),
    codex: place('codex.jsonl', join(root, 'codex', 'sessions', '2026', '12', '03', `rollout-2026-12-03T08-07-13-${CODEX_ID}.jsonl`)),
  };
  // Another folder's rollout must not be listed.
  place('codex.jsonl', join(root, 'codex', 'sessions', '2026', '12', '04', 'rollout-other.jsonl'));
  writeFileSync(join(root, 'codex', 'sessions', '2026', '12', '04', 'rollout-other.jsonl'), readFileSync(files.codex, 'utf8').replaceAll(project, '/elsewhere'));
  store = createStore(':memory:');
  store.projects.insert({ id: 'p', name: 'proj', path: project, createdAt: 1 });
  progress = [];
  importer = createHistoryImporter({
    store, clock, log: silent, env: { HOME: home, CODEX_HOME: join(root, 'codex') }, pageLines: 4,
    publish: (event, payload) => { if (event === 'history.import.progress') progress.push(payload as HistoryImportProgress); },
  });
});
afterEach(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

async function importAndWait(path: string): Promise<HistoryImportProgress> {
  return (await importer.start('p', path)).finished;
}

describe('history importer', () => {
  it("lists the project folder's Claude Code and Codex sessions with their first prompt and message count", async () => {
    const sources = await importer.sources('p');
    expect(sources.map((s) => [s.provider, s.providerSessionId, s.firstPrompt, s.messageCount, s.importedSessionId])).toEqual([
      ['codex', CODEX_ID, 'Check the shell works.', 6, null],
      ['claude', CLAUDE_ID, 'Check the shell works.', 6, null],
    ]);
    expect(sources[1].path).toBe(files.claude);
    expect(sources[1].startedAt).toBe(Date.parse('2026-12-03T08:07:12.040Z'));
  });

  it('imports every message once, in order, in pages with progress, and keeps the resume id', async () => {
    const before = digest(files.claude);
    const last = await importAndWait(files.claude);
    expect(last).toMatchObject({ done: true, messages: 6, badLines: 0 });
    expect(last.error).toBeUndefined();
    const sessionId = last.sessionId!;
    // 37 lines in pages of 4: a first report (session created), one per page, and the end.
    expect(progress.length).toBe(1 + 10 + 1);
    expect(progress.map((p) => p.bytesRead)).toEqual([...progress.map((p) => p.bytesRead)].sort((a, b) => a - b));
    const record = store.sessions.get(sessionId)!;
    expect(record).toMatchObject({ provider: 'claude', providerSessionId: CLAUDE_ID, status: 'done', model: 'claude-opus-5-5', cwd: project, createdAt: clock.now() });
    expect(record.costUsd).toBeCloseTo(0.089798, 6);
    const messages = store.messages.load(sessionId);
    expect(messages.map((m) => m.seqId)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(messages.map((m) => m.event.type)).toEqual(['text', 'tool_call', 'tool_result', 'text', 'text', 'text']);
    expect(messages[0].ts).toBe(Date.parse('2026-12-03T08:07:12.090Z'));
    expect(digest(files.claude)).toBe(before); // never modified
  });

  it('adds nothing on a second import, also when both are asked at once', async () => {
    const [a, b] = await Promise.all([importer.start('p', files.codex), importer.start('p', files.codex)]);
    expect(b.importId).toBe(a.importId);
    const first = await a.finished;
    const again = await importAndWait(files.codex);
    expect(again).toMatchObject({ done: true, alreadyImported: true, sessionId: first.sessionId });
    expect(store.sessions.ofProject('p').length).toBe(1);
    expect(store.messages.load(first.sessionId!).length).toBe(6);
    expect((await importer.sources('p')).find((s) => s.provider === 'codex')?.importedSessionId).toBe(first.sessionId);
  });

  it('can import again once the imported session was removed', async () => {
    const first = await importAndWait(files.codex);
    store.sessions.remove([first.sessionId!]);
    expect((await importer.sources('p')).find((s) => s.provider === 'codex')?.importedSessionId).toBeNull();
    const second = await importAndWait(files.codex);
    expect(second.alreadyImported).toBeUndefined();
    expect(store.messages.load(second.sessionId!).length).toBe(6);
  });

  it('is not purged by retention right after the import, however old the history', async () => {
    store.sessions.insert({
      id: 'older', projectId: 'p', provider: 'claude', status: 'done', reason: 'completed', error: null, providerSessionId: null, model: null,
      costUsd: null, inputTokens: 0, outputTokens: 0, createdAt: clock.now() - 1000, updatedAt: clock.now() - 1000, cwd: project, optionsJson: '{}', sidecarPid: null, sidecarStartTicks: null,
    });
    const { sessionId } = await importAndWait(files.claude);
    expect(sessionsToPurge(store.sessions.ofProject('p'), clock.now(), { retention_count: 1, retention_days: 1 })).toEqual(['older']);
    expect(sessionId).not.toBeNull();
  });

  it('imports a large history with no cap, in pages, every message once', async () => {
    const turns = 10_000;
    const lines: string[] = [];
    for (let i = 0; i < turns; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
      lines.push(JSON.stringify({ type: 'user', sessionId: CLAUDE_ID, cwd: project, uuid: `u${i}`, timestamp: at, message: { role: 'user', content: `prompt ${i}` } }));
      lines.push(JSON.stringify({ type: 'assistant', sessionId: CLAUDE_ID, uuid: `a${i}`, timestamp: at, message: { id: `msg_${i}`, model: 'm', role: 'assistant', content: [{ type: 'text', text: `answer ${i}` }] } }));
      if (i % 1000 === 0) lines.push('{"cut off mid-write');
    }
    writeFileSync(files.claude, lines.join('\n') + '\n');
    const big = createHistoryImporter({ store, clock, log: silent, env: { HOME: join(root, 'home') }, publish: (_e, payload) => progress.push(payload as HistoryImportProgress) });
    const started = performance.now();
    const last = await (await big.start('p', files.claude)).finished;
    const ms = performance.now() - started;
    expect(last).toMatchObject({ done: true, messages: 2 * turns, badLines: 10 });
    const messages = store.messages.load(last.sessionId!);
    expect(messages.length).toBe(2 * turns);
    expect(messages.every((m, i) => m.seqId === i && m.event.type === 'text' && m.event.text === `${i % 2 ? 'answer' : 'prompt'} ${Math.floor(i / 2)}`)).toBe(true);
    expect(progress.length).toBeGreaterThan(40); // pages of 500 lines
    console.log(`imported ${2 * turns} messages (${lines.length} lines) in ${Math.round(ms)} ms`);
  });

  it('refuses a path that is not one of the project folder\'s sessions', async () => {
    await expect(importer.start('p', join(root, 'codex', 'sessions', '2026', '12', '04', 'rollout-other.jsonl'))).rejects.toThrow("Not a stored session of this project's folder");
    await expect(importer.start('nope', files.claude)).rejects.toThrow('Unknown project nope');
  });
});
