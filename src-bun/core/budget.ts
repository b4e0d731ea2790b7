/**
 * Budget enforcement. After each cost report the session's share goes into
 * the usage log, then its spend is checked against the settings' limits:
 * the session's own total (`budget_session_usd`) and its project's total,
 * all time, purged sessions included (`budget_project_usd`). A crossed
 * limit (spend strictly above it) stops the turn at once, and every later
 * prompt to that session (or, for the project limit, any session of the
 * project) is refused with the same sentence until the limit is raised or
 * cleared. Costs are the providers' own figures; a provider that reports
 * none (`costUsd` null) never crosses a limit.
 */
import { budgetExceededMessage, type BudgetScope } from '../../src/shared/budget';
import type { Clock } from '../../src/shared/clock';
import type { Live } from './session-ingest';
import type { Store, StoredSession } from './store';

/** A crossed limit: which, the limit and the spend (USD), and the sentence shown. */
export type BudgetBreach = { scope: BudgetScope; limitUsd: number; spentUsd: number; message: string };

/**
 * The first limit `spend` crosses, session before project, or null.
 * `sessionUsd`/`projectUsd`: spend so far, USD (null: the provider reports no cost).
 */
export function checkBudget(
  limits: { sessionUsd: number | null; projectUsd: number | null },
  spend: { sessionUsd: number | null; projectUsd: number },
): BudgetBreach | null {
  const crossed = (scope: BudgetScope, limitUsd: number | null, spentUsd: number | null): BudgetBreach | null =>
    limitUsd !== null && spentUsd !== null && spentUsd > limitUsd ? { scope, limitUsd, spentUsd, message: budgetExceededMessage(scope, limitUsd, spentUsd) } : null;
  return crossed('session', limits.sessionUsd, spend.sessionUsd) ?? crossed('project', limits.projectUsd, spend.projectUsd);
}

export type BudgetGuardDeps = {
  store: Store;
  clock: Clock;
  /** Stops the session's turn at once and ends it `error`/`budget_exceeded` with `message` (the session manager's stop). */
  stop: (s: Live, message: string) => void;
};

/** The guard the session manager consults; see the module comment. */
export function createBudgetGuard({ store, clock, stop }: BudgetGuardDeps) {
  const limits = () => {
    const settings = store.settings.getAll();
    return { sessionUsd: settings.budget_session_usd, projectUsd: settings.budget_project_usd };
  };
  const breachOf = (r: StoredSession) => checkBudget(limits(), { sessionUsd: r.costUsd, projectUsd: store.usage.projectCostUsd(r.projectId) });

  return {
    /**
     * Called after a cost event was applied: `before` is the session record
     * as it was, `s.record` now holds the new totals. Logs the difference,
     * then stops the turn if a limit is crossed.
     */
    afterCost(s: Live, before: StoredSession): void {
      const r = s.record;
      const costUsd = r.costUsd === null ? null : r.costUsd - (before.costUsd ?? 0);
      store.usage.record({
        sessionId: r.id, projectId: r.projectId, provider: r.provider, model: r.model, ts: clock.now(),
        costUsd, inputTokens: r.inputTokens - before.inputTokens, outputTokens: r.outputTokens - before.outputTokens,
      });
      const breach = breachOf(r);
      if (breach && !s.stopping) stop(s, breach.message);
    },
    /** Why a prompt to this session is refused (a limit it or its project crossed), or null. */
    refusal: (r: StoredSession): string | null => breachOf(r)?.message ?? null,
    /** Why a new session in this project is refused (its project crossed its limit), or null. */
    projectRefusal: (projectId: string): string | null =>
      checkBudget({ sessionUsd: null, projectUsd: limits().projectUsd }, { sessionUsd: null, projectUsd: store.usage.projectCostUsd(projectId) })?.message ?? null,
  };
}
export type BudgetGuard = ReturnType<typeof createBudgetGuard>;
