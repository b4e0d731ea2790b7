/**
 * What a login CLI printed, made fit to show: ANSI escapes stripped, anything
 * shaped like a key or token masked, the sign-in URL and a one-time device
 * code picked out. Formats seen: `claude auth login` prints "If the browser
 * didn't open, visit:\nhttps://claude.ai/oauth/authorize?…\nPaste code here
 * if prompted > " (no newline after the prompt); `codex login` prints
 * "Starting local login server on http://localhost:1455. … navigate to this
 * URL to authenticate:\n\nhttps://auth.openai.com/oauth/authorize?…" on stderr.
 */

/** Lines of output kept and shown (the newest). */
export const OUTPUT_LINES = 40;
/** Characters of one shown line. */
const LINE_CHARS = 2000;

const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
/** API keys (`sk-…`, `sk-ant-…`), JWTs and long bearer-like tokens. */
const SECRET = /\b(sk-[A-Za-z0-9_-]{6,}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|(?:access|refresh|id)_token["'=: ]+[A-Za-z0-9._-]{12,})/g;

/** `text` with every key- or token-shaped run replaced by `[hidden]`. */
export function maskSecrets(text: string): string {
  return text.replace(SECRET, '[hidden]');
}

/** The last {@link OUTPUT_LINES} non-empty lines of `raw`, cleaned and masked; a trailing prompt without newline counts as a line. */
export function outputLines(raw: string): string[] {
  return raw
    .replace(ANSI, '')
    .split(/\r?\n|\r/)
    .map((l) => maskSecrets(l.trimEnd()).slice(0, LINE_CHARS))
    .filter((l) => l.trim() !== '')
    .slice(-OUTPUT_LINES);
}

/** The first https URL the CLI printed (the sign-in page), or null. Local callback servers (http://localhost) are skipped. */
export function signInUrl(lines: readonly string[]): string | null {
  for (const line of lines) {
    const m = /https:\/\/[^\s"'<>]+/.exec(line);
    if (m) return m[0].slice(0, 4000);
  }
  return null;
}

/** A one-time device code such as `ABCD-1234` on a line that talks about a code, or null. */
export function deviceCode(lines: readonly string[]): string | null {
  for (const line of lines) {
    if (!/code/i.test(line) || /https?:\/\//.test(line)) continue;
    const m = /\b([A-Z0-9]{4,8}-[A-Z0-9]{4,8})\b/.exec(line);
    if (m) return m[1]!;
  }
  return null;
}
