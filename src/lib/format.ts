/** Display formats shared by the pane header and the sidebar. */

/** USD with 4 decimals, e.g. `$0.0027`; `null` means the provider reports no cost. */
export function formatCost(costUsd: number | null | undefined): string {
  if (costUsd === null) return 'cost not reported';
  if (costUsd === undefined) return '$0.0000';
  return `$${costUsd.toFixed(4)}`;
}

/** Token counts as `1,200 in / 345 out`. */
export function formatTokens(input: number, output: number): string {
  return `${input.toLocaleString('en-US')} in / ${output.toLocaleString('en-US')} out`;
}
