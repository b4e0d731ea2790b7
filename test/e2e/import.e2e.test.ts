/**
 * Importing existing histories end to end, in Chromium through the web mode:
 * first the real Claude Code and Codex CLIs each run a two-turn session (a
 * shell tool call, then a resumed text turn) in the project folder under the
 * suite's temporary HOME / CLAUDE_CONFIG_DIR / CODEX_HOME, outside Corral.
 * History then lists both under "On disk"; each imports with every message
 * once and in order; asking to import again (from a second client) adds
 * nothing; and a follow-up prompt in each imported session resumes it in its
 * CLI (the model gets the earlier turns, the provider session id stays).
 */
import { Database } from 'bun:sqlite';
import { describe, expect, it } from 'bun:test';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../src/shared/web-auth';
import { createCodexRunner } from '../../src-bun/providers/codex/runner';
import { CODEX_TEST_MODEL, codexHomeOutsideTmp, writeOfflineCodexConfig } from '../agent-env';
import { BUNDLED_CLAUDE } from '../fixtures/record-claude';
import { FINAL_TEXT, OK_COMMAND } from '../model-server/scenarios';
import { addProject, e2eSuite, eventually, pane, screenshot, sendPrompt, waitForText } from './harness';

let codexHome = '';
const e2e = e2eSuite({
  name: 'import',
  projects: ['proj'],
  extraEnv: (model) => {
    codexHome = codexHomeOutsideTmp('e2e-import');
    writeOfflineCodexConfig(codexHome, model.url, CODEX_TEST_MODEL);
    return { CODEX_HOME: codexHome, LOCAL_API_KEY: 'test' };
  },
});
const T = 60_000;
const CLAUDE_PROMPTS = ['Claude on disk: check the shell works.', '[scenario:text] Claude on disk: what did you do?'];
const CODEX_PROMPTS = ['Codex on disk: check the shell works.', '[scenario:text] Codex on disk: what did you do?'];

type Pane = ReturnType<typeof pane>;
const cliEnv = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: process.env.TMPDIR ?? '/tmp', ...e2e.env });
const folder = () => realpathSync(e2e.dir('proj'));

/** Two turns of the real Claude Code CLI in the project folder, the second resuming the first; returns the session id. */
async function recordClaude(): Promise<string> {
  let sessionId: string | undefined;
  for (const prompt of CLAUDE_PROMPTS) {
    const args = ['-p', prompt, '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Bash', ...(sessionId ? ['--resume', sessionId] : [])];
    const child = Bun.spawn([BUNDLED_CLAUDE, ...args], { cwd: folder(), env: cliEnv(), stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
    const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    expect(code).toBe(0);
    sessionId ??= (JSON.parse(out.split('\n')[0]) as { session_id: string }).session_id;
  }
  return sessionId!;
}

/** Two turns of the real Codex CLI (`codex app-server`, a fresh one per turn) in the project folder; returns the thread id. */
async function recordCodex(): Promise<string> {
  let threadId: string | undefined;
  for (const prompt of CODEX_PROMPTS) {
    const runner = createCodexRunner({
      provider: 'codex', cwd: folder(), permissionMode: 'bypassPermissions', env: cliEnv(), model: CODEX_TEST_MODEL, ...(threadId ? { resumeId: threadId } : {}),
    });
    await runner.runTurn({ prompt, signal: new AbortController().signal }, (e) => {
      if (e.type === 'init') threadId ??= e.providerSessionId;
    });
    await runner.close();
  }
  return threadId!;
}

/** Every file under `dir`, with its sha256: the CLIs' files must be left exactly as they were. */
function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

/** The transcript as rows: role and text. */
async function transcript(p: Pane): Promise<string[]> {
  const rows = p.getByRole('log', { name: 'Messages' }).locator('[data-role]');
  return (await rows.evaluateAll((els) => els.map((el) => `${el.getAttribute('data-role')}: ${(el.textContent ?? '').replace(/\s+/g, ' ').trim()}`)));
}

/** Sends one request as a second client of the web mode would (another window), and returns its answer. */
async function rpcAsSecondClient(method: string, params: unknown): Promise<unknown> {
  const url = new URL(e2e.corral.url);
  const token = url.searchParams.get('token')!;
  const ws = new WebSocket(`ws://${url.host}/rpc`, { protocols: [RPC_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`], headers: { Origin: `http://${url.host}` } } as unknown as string[]);
  try {
    return await new Promise((resolve, reject) => {
      ws.onopen = () => ws.send(JSON.stringify({ type: 'request', id: 1, method, params }));
      ws.onmessage = (m) => {
        const packet = JSON.parse(String(m.data)) as { type: string; id: unknown; success?: boolean; payload?: unknown; error?: string };
        if (packet.type !== 'response' || packet.id !== 1) return;
        if (packet.success) resolve(packet.payload);
        else reject(new Error(packet.error));
      };
      ws.onerror = () => reject(new Error('the second client could not connect'));
    });
  } finally {
    ws.close();
  }
}

const dbRows = <T>(sql: string, ...args: string[]): T[] => {
  const db = new Database(join(e2e.dataDir(), 'corral.db'), { readonly: true });
  try {
    return db.query(sql).all(...args) as T[];
  } finally {
    db.close();
  }
};

describe('import existing histories', () => {
  it('lists, imports once, refuses to duplicate, and resumes Claude Code and Codex sessions', async () => {
    const claudeId = await recordClaude();
    const codexId = await recordCodex();
    const claudeFiles = () => digests(join(e2e.env.HOME, '.claude', 'projects'));
    const codexFiles = () => digests(join(codexHome, 'sessions'));
    const [claudeBefore, codexBefore] = [claudeFiles(), codexFiles()];

    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);
    const p = await addProject(page, folder(), 'proj');
    await p.getByRole('button', { name: 'History' }).click();
    const onDisk = p.getByRole('list', { name: 'Found on disk' }).getByRole('listitem');
    await eventually(() => onDisk.count(), (n) => n === 2, 'two sessions on disk', T);
    const rowText = async () => (await onDisk.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').replace(/^\d{4}-\d\d-\d\d \d\d:\d\d /, '').trim());
    // Newest first: the Codex session ran last.
    expect(await rowText()).toEqual([`Codex ${CODEX_PROMPTS[0]} 6 messages Import`, `Claude Code ${CLAUDE_PROMPTS[0]} 6 messages Import`]);
    await screenshot(page, 'import-on-disk');

    // Claude Code: import, then open it as the pane's session.
    const claudeRow = onDisk.filter({ hasText: 'Claude Code' });
    await claudeRow.getByRole('button', { name: 'Import this session' }).click();
    await waitForText(claudeRow.getByRole('status'), 'Imported 6 messages', T);
    await waitForText(claudeRow, 'Imported');
    const sessionsList = p.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
    await eventually(() => sessionsList.count(), (n) => n === 1, 'the imported session in History', T);
    await claudeRow.getByRole('button', { name: 'Open the imported session' }).click();
    const expected = (prompts: string[], tool: string) => [
      `user: You ${prompts[0]}`, `tool-call: ${tool} $ ${OK_COMMAND} Input`, `tool-result: ${tool} output corral-ok`,
      `assistant: ${FINAL_TEXT.tool}`, `user: You ${prompts[1]}`, `assistant: ${FINAL_TEXT.text}`,
    ];
    await waitForText(p.getByRole('log', { name: 'Messages' }).locator('[data-role="assistant"]'), FINAL_TEXT.text, T);
    const claudeRows = await transcript(p);
    expect(claudeRows).toEqual(expected(CLAUDE_PROMPTS, 'Bash'));
    expect(claudeFiles()).toEqual(claudeBefore); // Corral only read them

    // A follow-up resumes the Claude Code session: the model gets the earlier turns, the session id stays.
    const before = e2e.model.requests.length;
    await sendPrompt(p, '[scenario:text] Claude follow-up after the import');
    await waitForText(p.getByRole('status', { name: 'Session status' }), 'done', T);
    await eventually(() => transcript(p), (rows) => rows.length === 8, 'the follow-up turn in the transcript', T);
    expect((await transcript(p)).slice(6)).toEqual(['user: You [scenario:text] Claude follow-up after the import', `assistant: ${FINAL_TEXT.text}`]);
    const resumed = e2e.model.requests.slice(before).filter((r) => r.dialect === 'anthropic' && r.scenario === 'text');
    expect(resumed.length).toBe(1);
    expect(resumed[0].historyTurns).toBeGreaterThanOrEqual(3);
    expect(dbRows<{ provider_session_id: string }>("SELECT provider_session_id FROM sessions WHERE provider = 'claude'")).toEqual([{ provider_session_id: claudeId }]);

    // Codex: import, import again from a second client (nothing is added), open, follow up.
    await p.getByRole('button', { name: 'History' }).click();
    const codexRow = onDisk.filter({ hasText: CODEX_PROMPTS[0] });
    await codexRow.getByRole('button', { name: 'Import this session' }).click();
    await waitForText(codexRow.getByRole('status'), 'Imported 6 messages', T);
    const codexPath = Object.keys(codexBefore).find((f) => f.includes(codexId))!;
    const stored = () => dbRows<{ provider: string; n: number }>('SELECT s.provider, COUNT(m.seq_id) AS n FROM sessions s LEFT JOIN messages m ON s.id = m.session_id GROUP BY s.id ORDER BY s.provider');
    const once = stored();
    expect(once.map((r) => r.provider)).toEqual(['claude', 'codex']);
    expect(once[1].n).toBe(6);
    await rpcAsSecondClient('history.import', { projectId: dbRows<{ id: string }>('SELECT id FROM projects')[0].id, path: codexPath });
    await waitForText(codexRow.getByRole('status'), 'Already imported: nothing added', T);
    expect(stored()).toEqual(once);
    await eventually(() => sessionsList.count(), (n) => n === 2, 'two sessions in History', T);
    expect(codexFiles()).toEqual(codexBefore);
    await screenshot(page, 'import-done');

    await codexRow.getByRole('button', { name: 'Open the imported session' }).click();
    await waitForText(p.getByRole('log', { name: 'Messages' }).locator('[data-role="user"]'), CODEX_PROMPTS[1], T);
    const codexRows = await transcript(p);
    expect(codexRows).toEqual(expected(CODEX_PROMPTS, 'shell'));
    const beforeCodex = e2e.model.requests.length;
    await sendPrompt(p, '[scenario:text] Codex follow-up after the import');
    await eventually(() => transcript(p), (rows) => rows.length === 8, 'the Codex follow-up turn in the transcript', T);
    await waitForText(p.getByRole('status', { name: 'Session status' }), 'done', T);
    const codexResumed = e2e.model.requests.slice(beforeCodex).filter((r) => r.dialect === 'openai' && r.scenario === 'text');
    expect(codexResumed.length).toBe(1);
    expect(codexResumed[0].historyTurns).toBeGreaterThanOrEqual(2);
    expect(dbRows<{ provider_session_id: string }>("SELECT provider_session_id FROM sessions WHERE provider = 'codex'")).toEqual([{ provider_session_id: codexId }]);
  }, T * 5);
});
