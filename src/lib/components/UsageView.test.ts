import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { UsageSummary } from '../../shared/rpc/usage';
import { Transcript } from '../stores/transcript';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import { wire } from '../testing/wire';
import RateLimitMeta from './RateLimitMeta.svelte';
import UsageView from './UsageView.svelte';

const SUMMARY: UsageSummary = {
  windows: [
    {
      label: 'today', sinceMs: 0,
      byProject: [{ key: 'p1', name: 'ledger', costUsd: 0.0606, inputTokens: 12_262, outputTokens: 26 }],
      byProvider: [
        { key: 'claude', name: 'claude', costUsd: 0.0606, inputTokens: 12_262, outputTokens: 26 },
        { key: 'codex', name: 'codex', costUsd: null, inputTokens: 9_000, outputTokens: 120 },
      ],
    },
    { label: '7d', sinceMs: 0, byProject: [], byProvider: [] },
    { label: '30d', sinceMs: 0, byProject: [], byProvider: [] },
  ],
};
const textOf = (el: HTMLElement) => el.textContent?.replace(/\s+/g, ' ').trim();
const cells = (row: HTMLElement) => [...row.querySelectorAll('th, td')].map((c) => c.textContent?.trim());

describe('UsageView', () => {
  it('shows stored spend and tokens per project and provider, and "—" for a provider that reports no cost', async () => {
    const t = createTestStores();
    t.rpc.handle('usage.summary', () => SUMMARY);
    render(UsageView, { context: t.context });
    await t.stores.usage.show();
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Usage' });
    const providers = within(dialog).getByRole('table', { name: 'Spend by provider' });
    expect(within(providers).getAllByRole('row').slice(1).map(cells)).toEqual([
      ['Claude Code', '$0.06', '12,262', '26'],
      ['Codex', '—', '9,000', '120'],
    ]);
    expect(textOf(within(dialog).getByRole('status'))).toBe('Today: $0.06, 21,262 input and 146 output tokens');

    await fireEvent.click(within(dialog).getByRole('radio', { name: 'Last 7 days' }));
    flushSync();
    const projects = within(dialog).getByRole('table', { name: 'Spend by project' });
    expect(within(projects).getAllByRole('row').slice(1).map(cells)).toEqual([['Nothing spent in this period.']]);
    expect(textOf(within(dialog).getByRole('status'))).toBe('Last 7 days: no reported cost, 0 input and 0 output tokens');

    await fireEvent.keyDown(dialog, { key: 'Escape' });
    flushSync();
    expect(screen.queryByRole('dialog', { name: 'Usage' })).toBeNull();
  });
});

describe('RateLimitMeta', () => {
  it('shows the latest rate_limit of the transcript, warning while the provider warns', () => {
    const transcript = new Transcript();
    transcript.ingest([
      wire(0, { type: 'rate_limit', status: 'allowed', window: 'five_hour', usedPercent: 40 }),
      wire(1, { type: 'rate_limit', status: 'allowed_warning', window: 'five_hour', usedPercent: 91 }),
    ]);
    expect(transcript.messages).toEqual([]);
    render(RateLimitMeta, { rateLimit: transcript.rateLimit });
    const value = screen.getByLabelText('Rate limit');
    expect(value.textContent?.trim()).toBe('5-hour window 91% used');
    expect(value.closest('.figure')?.classList.contains('warning')).toBe(true);
  });

  it('says when a window is reached and when it resets', () => {
    const resetsAt = new Date(2026, 11, 3, 12, 0).getTime();
    render(RateLimitMeta, { rateLimit: { type: 'rate_limit', status: 'rejected', window: 'seven_day', usedPercent: 100, resetsAt } });
    expect(screen.getByLabelText('Rate limit').textContent?.trim()).toMatch(/^7-day window limit reached, resets (2026-12-03 )?12:00$/);
  });
});
