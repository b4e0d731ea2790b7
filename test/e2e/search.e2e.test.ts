/**
 * Search across every session, end to end in Chromium against the real web
 * mode and the real Claude Code CLI on the scripted model: four sessions in
 * one project, a second project with its own; Ctrl+Shift+F finds a word of
 * the session three sessions back, and choosing the hit by keyboard opens
 * that session read-only, scrolled to the message, which is marked.
 */
import { describe, expect, it } from 'bun:test';
import { FINAL_TEXT } from '../model-server/scenarios';
import { addProject, e2eSuite, eventually, screenshot, screenshotBothThemes, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({ name: 'search', projects: ['zoo', 'garden'] });
const T = 60_000;
const NEEDLE_PROMPT = 'Where does the quokka live? [scenario:text]';

describe('search across every session', () => {
  it('finds a word from a session three sessions back and opens that message', async () => {
    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);
    const garden = await addProject(page, e2e.dir('garden'), 'garden');
    await sendPrompt(garden, 'Which plants like shade? [scenario:text]');
    await waitForText(garden.getByRole('status', { name: 'Session status' }), 'done');

    const zoo = await addProject(page, e2e.dir('zoo'), 'zoo');
    const log = zoo.getByRole('log', { name: 'Messages' });
    const prompts = [NEEDLE_PROMPT, 'Session number 2 [scenario:text]', 'Session number 3 [scenario:text]', 'Session number 4 [scenario:text]'];
    for (const [i, prompt] of prompts.entries()) {
      if (i > 0) await zoo.getByRole('button', { name: 'New session' }).click();
      await sendPrompt(zoo, prompt);
      await waitForText(log.locator('[data-role="assistant"]'), FINAL_TEXT.text);
      await waitForText(zoo.getByRole('status', { name: 'Session status' }), 'done');
    }
    await waitForText(log.locator('[data-role="user"]'), 'Session number 4');

    // Keyboard only from here: the shortcut, the query, Enter.
    await page.keyboard.press('Control+Shift+F');
    const dialog = page.getByRole('dialog', { name: 'Search all sessions' });
    const box = dialog.getByRole('combobox', { name: 'Search messages' });
    await eventually(() => box.evaluate((el) => el === document.activeElement), (focused) => focused, 'the query box to take focus');
    await page.keyboard.type('quokka');
    const options = dialog.getByRole('listbox', { name: 'Search results' }).getByRole('option');
    await eventually(() => options.count(), (n) => n === 1, 'one hit for quokka');
    const row = (await options.first().innerText()).replace(/\s+/g, ' ').trim();
    expect(row).toMatch(/^zoo \d{4}-\d\d-\d\d \d\d:\d\d Claude Code Prompt Where does the quokka live\? \[scenario:text\]$/);
    expect(await options.first().locator('mark').allInnerTexts()).toEqual(['quokka']);
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await waitForText(dialog.getByRole('status'), '1 message, newest first');
    await screenshotBothThemes(page, 'search');

    // A word every session has: the five sessions of both projects, newest first.
    await box.fill('scripted');
    await eventually(() => options.count(), (n) => n === 5, 'five hits for "scripted"');
    const projects = (await options.locator('.project').allInnerTexts());
    expect(projects).toEqual(['zoo', 'zoo', 'zoo', 'zoo', 'garden']);
    for (const text of await options.allInnerTexts()) expect(text.replace(/\s+/g, ' ')).toContain(`Answer ${FINAL_TEXT.text}`);

    await box.fill('');
    await page.keyboard.type('quokka');
    await eventually(() => options.count(), (n) => n === 1, 'one hit for quokka again');
    await page.keyboard.press('Enter');
    expect(await dialog.count()).toBe(0);

    // The session three back opens read-only in the zoo pane, scrolled to the prompt, which is marked.
    const past = zoo.getByRole('region', { name: 'Session transcript (read-only)' });
    const hit = past.getByRole('log', { name: 'Messages' }).locator('[data-hit]');
    await waitForText(hit, 'Where does the quokka live?');
    expect(await hit.count()).toBe(1);
    expect(await hit.getAttribute('aria-current')).toBe('true');
    expect(await hit.isVisible()).toBe(true);
    const [hitBox, logBox] = [await hit.boundingBox(), await past.getByRole('log', { name: 'Messages' }).boundingBox()];
    expect(hitBox && logBox && hitBox.y >= logBox.y && hitBox.y + hitBox.height <= logBox.y + logBox.height).toBe(true);
    expect(await hit.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    expect(await past.getByRole('log', { name: 'Messages' }).locator('[data-role="user"]').allInnerTexts()).toEqual([`YOU\n${NEEDLE_PROMPT}`]);
    expect(await hit.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'search-hit');
  }, T * 4);
});
