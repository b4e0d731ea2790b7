/**
 * How the end-to-end benchmarks print: one line per figure with its unit,
 * its goal, and whether the goal was met. A figure without a goal is
 * informational (a reference, a breakdown).
 */

/** One measured figure. `goal` holds when `met` is true; without a goal the line says only the value. */
export type Figure = { label: string; value: string; goal?: string; met?: boolean };

/** Whole milliseconds with thousands separators: `1,234 ms`. */
export const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;
/** Megabytes with one decimal: `42.1 MB` (from bytes). */
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
/** A ratio with one decimal: `3.4x`. */
export const times = (x: number) => `${x.toFixed(1)}x`;
/** `10,000`. */
export const count = (n: number) => n.toLocaleString('en-US');

/** The median of a non-empty list. */
export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Formats a titled block of figures, aligned, e.g. `  last row shown   812 ms   goal <= 1,000 ms   met`. */
export function formatFigures(title: string, figures: readonly Figure[]): string {
  const labelWidth = Math.max(...figures.map((f) => f.label.length)) + 2;
  const valueWidth = Math.max(...figures.map((f) => f.value.length)) + 3;
  const lines = figures.map((f) => {
    const head = `  ${f.label.padEnd(labelWidth)}${f.goal ? f.value.padEnd(valueWidth) : f.value}`;
    return f.goal ? `${head}goal ${f.goal}   ${f.met ? 'met' : 'NOT MET'}` : head;
  });
  return [title, ...lines].join('\n');
}

/** True when every figure with a goal met it. */
export const allMet = (figures: readonly Figure[]) => figures.every((f) => f.goal === undefined || f.met === true);
