/** US dollar amounts as the UI and the budget messages show them (plain functions; budget.ts re-exports them). */

/** Which limit a session crossed: its own, or its project's (all time). */
export type BudgetScope = 'session' | 'project';

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
