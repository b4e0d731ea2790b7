/**
 * Budget and usage, end to end in Chromium against the real web mode and the
 * real Claude Code CLI on the scripted model: a session limit set in
 * Settings → Budget below what one turn costs stops the session with the
 * message naming the limit and the overrun, in the pane and in a toast; a
 * follow-up is refused with it until the limit is raised; the Usage view
 * shows the turn's stored spend and tokens per project and provider.
 */
import { describe, expect, it } from 'bun:test';
import { addProject, e2eSuite, eventually, screenshot, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({ name: 'budget', projects: ['ledger'] });
const T = 60_000;
const STOPPED = /^Stopped: session budget \$0\.01 exceeded by \$(\d+\.\d\d) \(\$(\d+\.\d\d) spent\)$/;

describe('budget', () => {
  it('a session limit below one turn\'s cost stops the session with the message', async () => {
    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);

    await page.getByRole('button', { name: 'Settings' }).click();
    const budget = page.getByRole('form', { name: 'Budget' });
    await budget.getByRole('textbox', { name: 'Session limit (USD)' }).fill('-3');
    await waitForText(budget.getByRole('alert'), 'A budget cannot be negative');
    await budget.getByRole('textbox', { name: 'Session limit (USD)' }).fill('$0.01');
    await budget.getByRole('button', { name: 'Save budget' }).click();
    await budget.getByText('Budget saved.').waitFor();
    expect(await budget.getByRole('alert').count()).toBe(0);

    const ledger = await addProject(page, e2e.dir('ledger'), 'ledger');
    await sendPrompt(ledger, 'Count the coins [scenario:text]');
    await waitForText(ledger.getByRole('status', { name: 'Session status' }), 'error');
    const shown = (await ledger.locator('.session-error').innerText()).trim();
    const m = STOPPED.exec(shown);
    expect(m).not.toBeNull();
    // The overrun is the spend less the limit, to the cent.
    expect(Math.abs(Number(m![2]) - 0.01 - Number(m![1]))).toBeLessThanOrEqual(0.011);
    expect(Number(m![2])).toBeGreaterThan(0.01);
    await waitForText(page.getByRole('region', { name: 'Notifications' }).getByRole('alert'), `ledger: ${shown}`);
    await screenshot(page, 'budget-stopped');

    // A follow-up is refused with the same sentence, and nothing is sent to the model.
    const requests = e2e.model.requests.length;
    await sendPrompt(ledger, 'One more [scenario:text]');
    await waitForText(ledger.getByRole('alert'), shown);
    expect(e2e.model.requests.length).toBe(requests);

    // The Usage view shows the turn's stored figures.
    await page.getByRole('button', { name: 'Usage' }).click();
    const usage = page.getByRole('dialog', { name: 'Usage' });
    const byProject = usage.getByRole('table', { name: 'Spend by project' });
    await waitForText(byProject.getByRole('row'), 'ledger');
    const row = (await byProject.getByRole('row').nth(1).innerText()).split('\t').map((c) => c.trim());
    expect(row[0]).toBe('ledger');
    expect(row[1]).toBe(`$${m![2]}`);
    expect(Number(row[2].replaceAll(',', ''))).toBeGreaterThan(0);
    expect(Number(row[3].replaceAll(',', ''))).toBeGreaterThan(0);
    const byProvider = (await usage.getByRole('table', { name: 'Spend by provider' }).getByRole('row').nth(1).innerText()).split('\t').map((c) => c.trim());
    expect(byProvider).toEqual(['Claude Code', ...row.slice(1)]);
    await usage.getByRole('radio', { name: 'Last 30 days' }).click();
    expect((await byProject.getByRole('row').nth(1).innerText()).split('\t').map((c) => c.trim())).toEqual(row);
    await screenshot(page, 'usage');
    await page.keyboard.press('Escape');
    expect(await usage.count()).toBe(0);

    // Raising the limit lets the session go on.
    await page.getByRole('button', { name: 'Settings' }).click();
    await budget.getByRole('textbox', { name: 'Session limit (USD)' }).fill('');
    await budget.getByRole('button', { name: 'Save budget' }).click();
    await budget.getByText('Budget saved.').waitFor();
    await page.getByRole('navigation', { name: 'Projects' }).getByText('ledger', { exact: true }).click();
    await sendPrompt(ledger, 'One more [scenario:text]');
    await eventually(() => ledger.getByRole('status', { name: 'Session status' }).innerText(), (s) => s.includes('done'), 'the follow-up to finish');
  }, T * 3);
});
