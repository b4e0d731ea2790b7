/**
 * Web-mode access rules: a random per-start token, accepted from the URL
 * (`?token=`) or from the cookie set on the first authenticated page load,
 * compared in constant time; WebSocket upgrades only from our own origin.
 */
import { timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'corral_token';

/** 32 random bytes, hex. */
export function newToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
}

/** Constant-time comparison of a presented token with the expected one. */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  // Compare equal lengths always, so the time does not reveal the length either.
  return timingSafeEqual(a, b.length === a.length ? b : Buffer.alloc(a.length)) && b.length === a.length;
}

/** The token a request carries, from `?token=` first, else from the cookie. */
export function presentedToken(req: Request): string | null {
  const fromQuery = new URL(req.url).searchParams.get('token');
  if (fromQuery) return fromQuery;
  const cookie = req.headers.get('cookie') ?? '';
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return v.join('=');
  }
  return null;
}

/** True when the request has no Origin (not a browser) or an Origin whose host is the one it was sent to. */
export function sameOrigin(req: Request): boolean {
  const origin = req.headers.get('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.get('host');
  } catch {
    return false;
  }
}
