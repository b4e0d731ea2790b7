import { describe, expect, it } from 'vitest';
import { budgetExceededMessage, formatUsd, parseUsdLimit } from './budget';
import { SettingsSchema } from './settings';

describe('parseUsdLimit', () => {
  it('reads empty as no limit and amounts as USD', () => {
    expect(parseUsdLimit('')).toEqual({ ok: true, value: null });
    expect(parseUsdLimit('   ')).toEqual({ ok: true, value: null });
    expect(parseUsdLimit('5')).toEqual({ ok: true, value: 5 });
    expect(parseUsdLimit(' $2.50 ')).toEqual({ ok: true, value: 2.5 });
    expect(parseUsdLimit('$1,250.5')).toEqual({ ok: true, value: 1250.5 });
    expect(parseUsdLimit('0')).toEqual({ ok: true, value: 0 });
    expect(parseUsdLimit('.5')).toEqual({ ok: true, value: 0.5 });
  });

  it('refuses words, negative and non-finite amounts with a sentence', () => {
    expect(parseUsdLimit('ten')).toEqual({ ok: false, error: '"ten" is not an amount in US dollars, like 5 or 2.50' });
    expect(parseUsdLimit('Infinity')).toEqual({ ok: false, error: '"Infinity" is not an amount in US dollars, like 5 or 2.50' });
    expect(parseUsdLimit('-1')).toEqual({ ok: false, error: 'A budget cannot be negative' });
    expect(parseUsdLimit('1e999')).toMatchObject({ ok: false });
  });
});

describe('budget settings', () => {
  it('accept null and non-negative finite numbers only', () => {
    const session = SettingsSchema.shape.budget_session_usd;
    expect(session.parse(null)).toBeNull();
    expect(session.parse(0.5)).toBe(0.5);
    expect(session.safeParse(-0.01).error?.issues[0]?.message).toBe('A budget cannot be negative');
    expect(session.safeParse(Number.POSITIVE_INFINITY).success).toBe(false);
    expect(session.safeParse('5').success).toBe(false);
  });
});

describe('budgetExceededMessage', () => {
  it('says which limit, by how much, and the spend', () => {
    expect(budgetExceededMessage('project', 10, 12.345)).toBe('Stopped: project budget $10.00 exceeded by $2.35 ($12.35 spent)');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(0)).toBe('$0.00');
  });
});
