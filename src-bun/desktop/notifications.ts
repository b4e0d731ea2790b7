/**
 * OS notifications of the desktop app, and whether they can be shown at all.
 * On Linux Electrobun's `Utils.showNotification` runs `notify-send` through
 * a shell and ignores its failure, so a machine without libnotify-bin (or
 * without a notification daemon) would lose every notification silently.
 * Here Linux runs `notify-send` itself, without a shell, and watches its exit
 * status; the first failure marks notifications unavailable with the reason,
 * which the UI shows once (a toast, and a line in Settings). Elsewhere
 * Electrobun's own call is used.
 */

/** Whether OS notifications work, and why not. */
export type NotificationHealth = { available: true } | { available: false; reason: string };

export type DesktopNotifierDeps = {
  platform: NodeJS.Platform;
  /** Full path of a command on PATH, or null (Bun.which). */
  which: (cmd: string) => string | null;
  /** Runs argv without a shell; resolves to the exit code and the first line of stderr. */
  run: (argv: string[]) => Promise<{ code: number; stderr: string }>;
  /** The non-Linux path: Electrobun's Utils.showNotification. */
  showNative: (n: { title: string; body: string }) => void;
  warn: (msg: string) => void;
};

/** Creates the notifier; its health is known at once on Linux (is notify-send there?) and updated by each attempt. */
export function createDesktopNotifier(deps: DesktopNotifierDeps) {
  let health: NotificationHealth = { available: true };
  const notifySend = deps.platform === 'linux' ? deps.which('notify-send') : null;
  const markUnavailable = (reason: string) => {
    if (health.available) deps.warn(`OS notifications unavailable: ${reason}`);
    health = { available: false, reason };
  };
  if (deps.platform === 'linux' && !notifySend) markUnavailable('notify-send was not found; install libnotify-bin (apt-get install libnotify-bin)');

  return {
    health: (): NotificationHealth => health,
    /** Shows one notification. Rejects with the reason when it could not be shown. */
    async notify({ title, body }: { title: string; body: string }): Promise<void> {
      if (deps.platform !== 'linux') return deps.showNative({ title, body });
      if (!notifySend) throw new Error(health.available ? 'notify-send missing' : health.reason);
      const { code, stderr } = await deps.run([notifySend, '--app-name=Corral', '--', title, body]);
      if (code !== 0) {
        const reason = `notify-send failed (exit ${code}${stderr ? `: ${stderr.slice(0, 160)}` : ''})`;
        markUnavailable(reason);
        throw new Error(reason);
      }
      if (!health.available) health = { available: true };
    },
  };
}
export type DesktopNotifier = ReturnType<typeof createDesktopNotifier>;

/** `run` for {@link DesktopNotifierDeps} on Bun: no shell, stdin closed, stderr's first line kept. */
export async function runCommand(argv: string[]): Promise<{ code: number; stderr: string }> {
  const proc = Bun.spawn(argv, { stdin: 'ignore', stdout: 'ignore', stderr: 'pipe' });
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  return { code, stderr: stderr.trim().split('\n')[0] ?? '' };
}
