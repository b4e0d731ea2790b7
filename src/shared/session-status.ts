/** Lifecycle of a session as the UI shows it: plain values (the schema over them is in events.ts, which re-exports them). */
export const SESSION_STATUSES = ['starting', 'running', 'done', 'error', 'idle', 'interrupted'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
