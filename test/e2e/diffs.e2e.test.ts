/**
 * Edits as diffs end to end, in Chromium through the web mode, with the real
 * agent CLIs against the scripted model server's `edit` scenario (line 4
 * `delta` of corral-edit.txt becomes `DELTA` and a new line 5 `delta two`):
 *  - Claude Code in `default` mode reads the file, then asks before its Edit:
 *    the card shows the edit's snippets as a diff; once allowed, the tool
 *    call shows the edit placed in the file, with its line numbers.
 *  - Codex (`codex app-server`, also `default` mode) asks before each file
 *    change: the card and then the tool call show the change from Codex's
 *    unified diff, at its lines; a change that adds a file shows as a new
 *    file, all lines added.
 * Rows are read as the user sees them: old line, new line, sign, text.
 */
import { describe, expect, it } from 'bun:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { CODEX_TEST_MODEL, codexHomeOutsideTmp, writeOfflineCodexConfig } from '../agent-env';
import { EDIT_FILE, FINAL_TEXT, WRITE_FILE } from '../model-server/scenarios';
import { addProject, e2eSuite, pane, screenshotBothThemes, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({
  name: 'diffs',
  projects: ['claudeedit', 'codexedit'],
  permissionMode: 'default',
  extraEnv: (model) => {
    const codexHome = codexHomeOutsideTmp('e2e-diffs');
    writeOfflineCodexConfig(codexHome, model.url, CODEX_TEST_MODEL);
    return { CODEX_HOME: codexHome, LOCAL_API_KEY: 'test' };
  },
});
const T = 90_000;

const log = (p: ReturnType<typeof pane>) => p.getByRole('log', { name: 'Messages' });
const status = (p: ReturnType<typeof pane>) => p.getByRole('status', { name: 'Session status' });

/** A diff's rows as `old|new|sign|text`, and its header's counts. */
async function readDiff(diff: Locator): Promise<{ rows: string[]; added: string; removed: string; header: string }> {
  const rows = await diff.locator('tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).join('|')));
  return {
    rows,
    added: (await diff.getByTitle('Lines added').textContent()) ?? '',
    removed: (await diff.getByTitle('Lines removed').textContent()) ?? '',
    header: (await diff.locator('summary').textContent()) ?? '',
  };
}

/** Puts the edit scenario's file in a project. */
function seed(name: string): string {
  const path = join(e2e.dir(name), EDIT_FILE.name);
  writeFileSync(path, EDIT_FILE.before);
  return path;
}

describe('edits show as diffs', () => {
  it('Claude Code: the Edit permission card shows the change, and the allowed Edit shows it with file line numbers', async () => {
    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);
    const file = seed('claudeedit');
    const p = await addProject(page, e2e.dir('claudeedit'), 'claudeedit');
    await sendPrompt(p, '[scenario:edit] Change a line.');
    const card = p.getByRole('group', { name: 'Permission request' }).last();
    await card.getByRole('button', { name: 'Allow once' }).waitFor({ timeout: T });
    // The card has Claude Code's snippets; where they sit in the file is not known before the edit runs.
    const proposed = await readDiff(card.locator('details.diff-view'));
    expect(proposed.rows).toEqual(['|| |charlie', '||-|delta', '||+|DELTA', '||+|delta two']);
    expect([proposed.added, proposed.removed]).toEqual(['+2', '-1']);
    expect(proposed.header).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe(EDIT_FILE.before);

    await card.getByRole('button', { name: 'Allow once' }).click();
    await waitForText(status(p), 'done');
    await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.edit);
    expect(readFileSync(file, 'utf8')).toBe(EDIT_FILE.after);
    const call = log(p).locator('[data-role="tool-call"]').filter({ hasText: 'Edit' }).locator('details.diff-view');
    const made = await readDiff(call);
    expect(made.rows).toEqual([
      '1|1| |alpha', '2|2| |bravo', '3|3| |charlie', '4||-|delta', '|4|+|DELTA', '|5|+|delta two', '5|6| |echo', '6|7| |foxtrot', '7|8| |golf',
    ]);
    expect([made.added, made.removed]).toEqual(['+2', '-1']);
    expect(made.header).toContain(file);
    // The Read before it is no edit: no diff.
    expect(await log(p).locator('[data-role="tool-call"]').filter({ hasText: 'Read' }).locator('details.diff-view').count()).toBe(0);
    await screenshotBothThemes(page, 'diff');
  }, T);

  it('Codex: the file change card and the allowed change show an update at its lines, and an added file all added', async () => {
    const { page } = e2e.browser;
    const file = seed('codexedit');
    const p = await addProject(page, e2e.dir('codexedit'), 'codexedit');
    await p.getByRole('combobox', { name: 'Provider' }).selectOption('codex');
    await sendPrompt(p, '[scenario:edit] Change a line.');
    const card = p.getByRole('group', { name: 'Permission request' }).last();
    await card.getByRole('button', { name: 'Allow once' }).waitFor({ timeout: T });
    // Codex's unified diff places the change before it is made: the card has the line numbers already.
    const rows = ['3|3| |charlie', '4||-|delta', '|4|+|DELTA', '|5|+|delta two', '5|6| |echo'];
    const proposed = await readDiff(card.locator('details.diff-view'));
    expect(proposed.rows).toEqual(rows);
    expect([proposed.added, proposed.removed]).toEqual(['+2', '-1']);
    expect(proposed.header).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe(EDIT_FILE.before);

    await card.getByRole('button', { name: 'Allow once' }).click();
    await waitForText(status(p), 'done');
    await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.edit);
    expect(readFileSync(file, 'utf8')).toBe(EDIT_FILE.after);
    const update = await readDiff(log(p).locator('[data-role="tool-call"]').first().locator('details.diff-view'));
    expect(update.rows).toEqual(rows);
    expect([update.added, update.removed]).toEqual(['+2', '-1']);
    expect(update.header).toContain(file);

    await sendPrompt(p, '[scenario:write] Create a file.');
    const writeCard = p.getByRole('group', { name: 'Permission request' }).last();
    await waitForText(writeCard, `Create ${join(e2e.dir('codexedit'), WRITE_FILE.name)}`);
    expect((await readDiff(writeCard.locator('details.diff-view'))).rows).toEqual([`|1|+|${WRITE_FILE.content.trimEnd()}`]);
    await writeCard.getByRole('button', { name: 'Allow once' }).click();
    await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.write);
    await waitForText(status(p), 'done');
    const created = await readDiff(log(p).locator('[data-role="tool-call"]').last().locator('details.diff-view'));
    expect(created.rows).toEqual([`|1|+|${WRITE_FILE.content.trimEnd()}`]);
    expect([created.added, created.removed]).toEqual(['+1', '-0']);
    expect(created.header).toContain('new file');
    expect(created.header).toContain(join(e2e.dir('codexedit'), WRITE_FILE.name));
  }, T);
});
