/**
 * The usage log: what each provider reported a session spent, one row per
 * cost report (the difference it made to the session's totals), kept apart
 * from the sessions so a session purged by retention still counts in its
 * project's spend and in the Usage view. Rows go with their project.
 * `cost_usd` is NULL when the provider reports no cost (Codex, Ollama, ACP
 * agents without `usage_update.cost`): tokens only, never a guessed price.
 */
import type { Database } from 'bun:sqlite';
import type { ProviderId } from '../../src/shared/providers';
import type { UsageTotals, UsageWindow, UsageSummary } from '../../src/shared/rpc/usage';

/** The `usage` table (migration "budget and usage" in db.ts). */
export const USAGE_SCHEMA = `
  CREATE TABLE usage (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    model TEXT,
    cost_usd REAL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    ts INTEGER NOT NULL
  );
  CREATE INDEX usage_by_project ON usage(project_id, ts);
  CREATE INDEX usage_by_time ON usage(ts);`;

/** Backfill for a database from before the log: one row per session with its stored totals, dated at its last update. */
export function backfillUsage(db: Database): void {
  db.run(`INSERT INTO usage (session_id, project_id, provider, model, cost_usd, input_tokens, output_tokens, ts)
    SELECT id, project_id, provider, model, cost_usd, input_tokens, output_tokens, updated_at FROM sessions
    WHERE cost_usd IS NOT NULL OR input_tokens > 0 OR output_tokens > 0`);
}

/** One cost report's share: `costUsd` USD (null: the provider reports none), tokens, `ts` ms since epoch. */
export type UsageEntry = {
  sessionId: string; projectId: string; provider: ProviderId; model: string | null;
  costUsd: number | null; inputTokens: number; outputTokens: number; ts: number;
};

type TotalsRow = { key: string; name: string; cost_usd: number | null; input_tokens: number; output_tokens: number };

const DAY_MS = 86_400_000;

/** Local midnight (this process's time zone) of the day holding `nowMs`, ms since epoch. */
export function startOfLocalDay(nowMs: number): number {
  const d = new Date(nowMs);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The usage log over an open database. */
export function createUsageLog(db: Database) {
  const q = {
    insert: db.query(`INSERT INTO usage (session_id, project_id, provider, model, cost_usd, input_tokens, output_tokens, ts)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    projectCost: db.query<{ c: number | null }, [string]>('SELECT SUM(cost_usd) AS c FROM usage WHERE project_id = ?'),
    byProject: db.query<TotalsRow, [number]>(`SELECT u.project_id AS key, p.name AS name, SUM(u.cost_usd) AS cost_usd,
      SUM(u.input_tokens) AS input_tokens, SUM(u.output_tokens) AS output_tokens
      FROM usage u JOIN projects p ON p.id = u.project_id WHERE u.ts >= ? GROUP BY u.project_id ORDER BY p.name, u.project_id`),
    byProvider: db.query<TotalsRow, [number]>(`SELECT provider AS key, provider AS name, SUM(cost_usd) AS cost_usd,
      SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens
      FROM usage WHERE ts >= ? GROUP BY provider ORDER BY provider`),
  };
  const totals = (r: TotalsRow): UsageTotals => ({ key: r.key, name: r.name, costUsd: r.cost_usd, inputTokens: r.input_tokens, outputTokens: r.output_tokens });
  const window = (label: UsageWindow['label'], sinceMs: number): UsageWindow => ({
    label, sinceMs, byProject: q.byProject.all(sinceMs).map(totals), byProvider: q.byProvider.all(sinceMs).map(totals),
  });

  return {
    /** Adds one cost report's share; a share with nothing in it (no cost, no tokens) is not stored. */
    record(e: UsageEntry): void {
      if (!e.costUsd && e.inputTokens === 0 && e.outputTokens === 0) return;
      q.insert.run(e.sessionId, e.projectId, e.provider, e.model, e.costUsd, e.inputTokens, e.outputTokens, e.ts);
    },
    /** Everything the project's sessions spent, all time (purged sessions included), USD; 0 when none reported a cost. */
    projectCostUsd: (projectId: string): number => q.projectCost.get(projectId)?.c ?? 0,
    /**
     * Spend and tokens per project and per provider for today (since local
     * midnight), the last 7 days and the last 30 days, as of `nowMs`. A
     * `costUsd` of null means no row in that group reported a cost.
     */
    summary(nowMs: number): UsageSummary {
      return {
        windows: [window('today', startOfLocalDay(nowMs)), window('7d', nowMs - 7 * DAY_MS), window('30d', nowMs - 30 * DAY_MS)],
      };
    },
  };
}
export type UsageLog = ReturnType<typeof createUsageLog>;
