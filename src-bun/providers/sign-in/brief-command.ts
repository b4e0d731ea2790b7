/**
 * Runs a short status command of an agent CLI (`claude auth status`, `codex
 * login status`): no shell, its own process group, stdin closed, killed as a
 * group when it takes longer than allowed. Its output stays in the main
 * process; callers turn it into a state and never pass it on.
 */
import { killGroup } from '../../core/sidecar-process';

/** How long a status command may take before its group is killed, ms. */
export const STATUS_TIMEOUT_MS = 8000;

/** What a finished command printed and its exit code. */
export type BriefResult = { code: number; stdout: string; stderr: string };

/**
 * Runs `argv` with exactly `env`; resolves null when it cannot start or is
 * killed after `timeoutMs`. Never throws.
 */
export async function runBriefCommand(argv: string[], env: Record<string, string>, timeoutMs = STATUS_TIMEOUT_MS): Promise<BriefResult | null> {
  let child: ReturnType<typeof Bun.spawn<'ignore', 'pipe', 'pipe'>>;
  try {
    child = Bun.spawn(argv, { env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', detached: true });
  } catch {
    return null;
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid, 'SIGKILL');
  }, timeoutMs);
  try {
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return timedOut ? null : { code, stdout, stderr };
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    // A helper the CLI left behind in its group goes with it.
    killGroup(child.pid, 'SIGKILL');
  }
}

/** `path` as a user would type it in a POSIX shell: quoted only when it needs to be. */
export function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/** The names of the variables in `names` that are set to a non-empty value in `env`. */
export function setVariables(env: Record<string, string | undefined>, names: readonly string[]): string[] {
  return names.filter((n) => (env[n] ?? '').trim() !== '');
}
