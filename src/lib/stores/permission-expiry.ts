/**
 * When a permission card can no longer be answered. Only a running turn has
 * an agent waiting on an answer: the main process forgets open requests when
 * a turn ends, and after a relaunch no sidecar is left that asked (the stored
 * `permission_request` message survives, so the card is shown, as expired).
 */
import type { StatusReason } from '../../shared/events';

/** The expired card's line, per why the turn ended. */
export const EXPIRED_TEXT = {
  restarted: 'Expired: Corral was restarted before you answered',
  stopped: 'Expired: the turn was stopped before you answered',
  ended: 'Expired: the turn ended before you answered',
} as const;

/**
 * Why an unanswered card of `session` is expired, or undefined while its turn
 * runs (an agent may be waiting). A session the last run left running comes
 * back `interrupted` (reason `interrupted`): that is a restart.
 */
export function permissionExpiry(session: { readonly active: boolean; readonly reason: StatusReason | null }): string | undefined {
  if (session.active) return undefined;
  if (session.reason === 'interrupted') return EXPIRED_TEXT.restarted;
  if (session.reason === 'stopped') return EXPIRED_TEXT.stopped;
  return EXPIRED_TEXT.ended;
}
