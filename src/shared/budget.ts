/**
 * Spending limits: the settings' USD limits, how a typed limit is read, and
 * the message a crossed limit shows. Shared by the core (which enforces the
 * limits) and the UI (which edits them).
 */
import { z } from 'zod';

/** A spending limit in USD: a non-negative finite number, or `null` for none. */
export const UsdLimitSchema = z
  .number({ error: 'A budget must be a number of US dollars, or empty for none' })
  .finite('A budget must be a finite number of US dollars')
  .nonnegative('A budget cannot be negative')
  .nullable();
export type UsdLimit = z.infer<typeof UsdLimitSchema>;

export { budgetExceededMessage, formatUsd, type BudgetScope } from './usd';

/**
 * Reads a limit as typed in Settings: empty (or blank) is no limit; `$`,
 * spaces and a thousands `,` are allowed (`$1,250.5`). Anything else, a
 * negative number or a non-finite one is refused with a sentence to show.
 */
export function parseUsdLimit(text: string): { ok: true; value: UsdLimit } | { ok: false; error: string } {
  const trimmed = text.trim().replace(/^\$\s*/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (trimmed === '') return { ok: true, value: null };
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return { ok: false, error: `"${text.trim()}" is not an amount in US dollars, like 5 or 2.50` };
  const parsed = UsdLimitSchema.safeParse(Number(trimmed));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error.issues[0]?.message ?? 'Invalid budget' };
}
