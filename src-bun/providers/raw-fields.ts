/**
 * Defensive readers for provider events parsed from JSON: every adapter
 * treats its input as `unknown` and reads fields through these, so a
 * malformed event maps to nothing instead of throwing. Limits match the
 * AgentEvent schema (src/shared/events.ts).
 */

export type Obj = Record<string, unknown>;

/** Largest `text`/`output` an AgentEvent carries, characters. */
export const TEXT_MAX = 8 * 1024 * 1024;
/** Largest AgentEvent id, characters. */
export const ID_MAX = 512;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A non-negative finite number, else 0. */
export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
/** A non-negative integer, else 0 (fractions are floored). */
export const int = (v: unknown): number => Math.floor(num(v));
/** Keeps a string within `max` characters. */
export const clip = (s: string, max: number): string => (s.length > max ? s.slice(0, max) : s);
/** The objects of an array field, or `[]`. */
export const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
