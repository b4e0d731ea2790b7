/**
 * RPC domain `usage`: spend and tokens from the stored usage log
 * (src-bun/core/usage-log.ts), per project and per provider, for today, the
 * last 7 days and the last 30 days. Costs are the providers' own reported
 * figures in USD; `costUsd: null` means none of the group's sessions
 * reported a cost (Codex, Ollama, most ACP agents): show its tokens only.
 */
import { z } from 'zod';

/** One group's totals: `key` is the project id or provider id, `name` what to show. */
export const UsageTotalsSchema = z.object({
  key: z.string(),
  name: z.string(),
  costUsd: z.number().nonnegative().nullable(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
export type UsageTotals = z.infer<typeof UsageTotalsSchema>;

/** A period: `today` since local midnight (the main process's time zone), `7d`/`30d` rolling; `sinceMs` ms since epoch. */
export const UsageWindowSchema = z.object({
  label: z.enum(['today', '7d', '30d']),
  sinceMs: z.number().nonnegative(),
  byProject: z.array(UsageTotalsSchema),
  byProvider: z.array(UsageTotalsSchema),
});
export type UsageWindow = z.infer<typeof UsageWindowSchema>;

export const UsageSummarySchema = z.object({ windows: z.array(UsageWindowSchema) });
export type UsageSummary = z.infer<typeof UsageSummarySchema>;

export const usageRequests = {
  'usage.summary': { params: z.object({}).strict(), response: UsageSummarySchema },
};
