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

/** Which limit a session crossed: its own, or its project's (all time). */
export type BudgetScope = 'session' | 'project';

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

/** USD for people: `$0.06`, `$12.50`; amounts under a cent keep four decimals (`$0.0042`). */
export function formatUsd(usd: number): string {
  return `$${usd > 0 && usd < 0.01 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

/**
 * The sentence a crossed limit shows in the pane and the toast, e.g.
 * `Stopped: session budget $0.01 exceeded by $0.05 ($0.06 spent)`.
 * `limitUsd` and `spentUsd` in USD; `spentUsd` is above `limitUsd`.
 */
export function budgetExceededMessage(scope: BudgetScope, limitUsd: number, spentUsd: number): string {
  return `Stopped: ${scope} budget ${formatUsd(limitUsd)} exceeded by ${formatUsd(spentUsd - limitUsd)} (${formatUsd(spentUsd)} spent)`;
}
