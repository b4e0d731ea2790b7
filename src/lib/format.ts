/** Display formats shared by the pane header and the sidebar. */

/** USD with 4 decimals, e.g. `$0.0027`; `null` means the provider reports no cost. */
export function formatCost(costUsd: number | null | undefined): string {
  if (costUsd === null) return 'cost not reported';
  if (costUsd === undefined) return '$0.0000';
  return `$${costUsd.toFixed(4)}`;
}

/**
 * An integer with comma thousands separators, e.g. `1,234,567`. Written out
 * rather than `toLocaleString`, whose first call loads the ICU number data
 * (about 10 ms, on the path of a restore's first paint).
 */
export function formatCount(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let i = digits.length; i > 0; i -= 3) out = digits.slice(Math.max(0, i - 3), i) + (out ? `,${out}` : '');
  return n < 0 ? `-${out}` : out;
}

/** Token counts as `1,200 in / 345 out`. */
export function formatTokens(input: number, output: number): string {
  return `${formatCount(input)} in / ${formatCount(output)} out`;
}

/** A duration as `45s`, `2m 05s` or `1h 03m`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A burn rate as `$1.20/h`. */
export function formatBurnRate(usdPerHour: number): string {
  return `$${usdPerHour.toFixed(2)}/h`;
}

/** A 0–1 ratio as a whole percentage, e.g. `42%`. */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** A date and time for lists, e.g. `2025-03-14 09:26`, in local time. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
